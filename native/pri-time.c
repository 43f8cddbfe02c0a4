/*
 * libpritime.so: lets trunkpilot tell libpri what time it is.
 *
 * libpri's scheduler reads the clock itself (gettimeofday() in pri_schedule_event and
 * pri_schedule_run; time() for the Date/time IE in q931.c), so its timers cannot follow a
 * virtual clock. We rewrite the GOT entries libpri.so uses for those two functions to point
 * here, and libpri alone sees the time we are fed; Node, V8's Date.now and every other
 * library keep calling glibc. Chosen over LD_PRELOAD interposition (filtering callers with
 * dladdr): that must be in place before the process starts and sits in the path of every
 * gettimeofday the process makes, while the GOT rewrite is done at run time, touches one
 * library, and can be checked (pritime_install says how many entries it rewrote).
 *
 * Until pritime_feed() is called (or after pritime_unfeed()), the hooks pass through to
 * glibc, so an installed hook changes nothing for an instance on the wall clock.
 * The fed time is per thread: libpri is only ever entered from the thread feeding it.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

/* Failure codes of pritime_install (drivers/libpri/time-hook.ts names them). */
enum {
  PRITIME_NOT_LOADED = -1,   /* no loaded object whose file name starts with the prefix */
  PRITIME_NO_DYNAMIC = -2,   /* the object has no usable dynamic section */
  PRITIME_NOT_IMPORTED = -3, /* it does not import gettimeofday or time (linked statically?) */
  PRITIME_MPROTECT_FAILED = -4,
  PRITIME_UNSUPPORTED_ARCH = -5,
};

static __thread int fed;
static __thread int64_t fed_usec;

static int hook_gettimeofday(struct timeval *tv, void *tz) {
  if (!fed) return gettimeofday(tv, tz);
  if (tv) {
    tv->tv_sec = (time_t)(fed_usec / 1000000);
    tv->tv_usec = (suseconds_t)(fed_usec % 1000000);
  }
  return 0;
}

static time_t hook_time(time_t *out) {
  if (!fed) return time(out);
  time_t now = (time_t)(fed_usec / 1000000);
  if (out) *out = now;
  return now;
}

/* From now on this thread's libpri sees `usec` microseconds since the epoch. */
EXPORT void pritime_feed(int64_t usec) {
  fed_usec = usec < 0 ? 0 : usec;
  fed = 1;
}

/* Back to the real clock for this thread. */
EXPORT void pritime_unfeed(void) { fed = 0; }

#if defined(__x86_64__)
#define SLOT_RELOC(t) ((t) == R_X86_64_JUMP_SLOT || (t) == R_X86_64_GLOB_DAT)
#elif defined(__aarch64__)
#define SLOT_RELOC(t) ((t) == R_AARCH64_JUMP_SLOT || (t) == R_AARCH64_GLOB_DAT)
#endif

#ifdef SLOT_RELOC
struct search {
  const char *prefix;
  int result;
};

/* glibc relocates d_ptr in place; other loaders leave it relative to the load address. */
static uintptr_t dyn_addr(ElfW(Addr) base, ElfW(Addr) ptr) { return ptr < base ? base + ptr : ptr; }

/* Points one GOT slot at `fn`, lifting RELRO's read-only protection for the write. */
static int write_slot(void **slot, void *fn, const struct dl_phdr_info *info) {
  uintptr_t addr = (uintptr_t)slot;
  int relro = 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t start = info->dlpi_addr + ph->p_vaddr;
    if (ph->p_type == PT_GNU_RELRO && addr >= start && addr < start + ph->p_memsz) relro = 1;
  }
  if (!relro) {
    *slot = fn;
    return 0;
  }
  uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  void *start = (void *)(addr & ~(page - 1));
  if (mprotect(start, page, PROT_READ | PROT_WRITE) != 0) return -1;
  *slot = fn;
  return mprotect(start, page, PROT_READ) != 0 ? -1 : 0;
}

static int visit(struct dl_phdr_info *info, size_t size, void *data) {
  struct search *s = data;
  (void)size;
  const char *name = info->dlpi_name ? strrchr(info->dlpi_name, '/') : NULL;
  name = name ? name + 1 : info->dlpi_name;
  if (!name || strncmp(name, s->prefix, strlen(s->prefix)) != 0) return 0;

  const ElfW(Dyn) *dyn = NULL;
  for (int i = 0; i < info->dlpi_phnum; i++)
    if (info->dlpi_phdr[i].p_type == PT_DYNAMIC) dyn = (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
  if (!dyn) return s->result = PRITIME_NO_DYNAMIC, 1;

  const ElfW(Sym) *symtab = NULL;
  const char *strtab = NULL;
  /* [0]: the PLT relocations (DT_JMPREL), [1]: the others (DT_RELA; -fno-plt builds). */
  const ElfW(Rela) *tables[2] = {NULL, NULL};
  size_t sizes[2] = {0, 0};
  int pltrel_is_rela = 1;
  for (; dyn->d_tag != DT_NULL; dyn++) {
    switch (dyn->d_tag) {
    case DT_SYMTAB: symtab = (const ElfW(Sym) *)dyn_addr(info->dlpi_addr, dyn->d_un.d_ptr); break;
    case DT_STRTAB: strtab = (const char *)dyn_addr(info->dlpi_addr, dyn->d_un.d_ptr); break;
    case DT_JMPREL: tables[0] = (const ElfW(Rela) *)dyn_addr(info->dlpi_addr, dyn->d_un.d_ptr); break;
    case DT_PLTRELSZ: sizes[0] = dyn->d_un.d_val; break;
    case DT_PLTREL: pltrel_is_rela = dyn->d_un.d_val == DT_RELA; break;
    case DT_RELA: tables[1] = (const ElfW(Rela) *)dyn_addr(info->dlpi_addr, dyn->d_un.d_ptr); break;
    case DT_RELASZ: sizes[1] = dyn->d_un.d_val; break;
    default: break;
    }
  }
  /* x86_64 and aarch64 use RELA only. */
  if (!symtab || !strtab || !pltrel_is_rela) return s->result = PRITIME_NO_DYNAMIC, 1;

  int patched = 0;
  for (int t = 0; t < 2; t++) {
    for (size_t i = 0; tables[t] && i < sizes[t] / sizeof(ElfW(Rela)); i++) {
      const ElfW(Rela) *r = &tables[t][i];
      if (!SLOT_RELOC(ELF64_R_TYPE(r->r_info))) continue;
      const char *sym = strtab + symtab[ELF64_R_SYM(r->r_info)].st_name;
      void *fn = NULL;
      if (strcmp(sym, "gettimeofday") == 0) fn = (void *)hook_gettimeofday;
      else if (strcmp(sym, "time") == 0) fn = (void *)hook_time;
      if (!fn) continue;
      if (write_slot((void **)(info->dlpi_addr + r->r_offset), fn, info) != 0) return s->result = PRITIME_MPROTECT_FAILED, 1;
      patched++;
    }
  }
  s->result = patched ? patched : PRITIME_NOT_IMPORTED;
  return 1;
}
#endif

/*
 * Rewrites the gettimeofday/time GOT entries of the first loaded object whose file name
 * starts with `prefix` ("libpri.so"). Returns how many entries now point here (a second
 * call rewrites them to the same values), or a negative PRITIME_* code.
 */
EXPORT int pritime_install(const char *prefix) {
#ifdef SLOT_RELOC
  struct search s = {prefix, PRITIME_NOT_LOADED};
  dl_iterate_phdr(visit, &s);
  return s.result;
#else
  (void)prefix;
  return PRITIME_UNSUPPORTED_ARCH;
#endif
}
