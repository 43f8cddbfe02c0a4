/**
 * What every koffi binding in drivers/ needs once: open a Debian library by its
 * soname (falling back to the -dev symlink), and declare callback prototypes in
 * a way that survives module reloading.
 */
import koffi, { type LibraryHandle, type TypeObject } from 'koffi';
import { NativeLibraryError } from '../src/core/errors';

/** Opens the first of `sonames` that loads; the error names the Debian package to install. */
export function openNativeLibrary(label: string, sonames: readonly string[], debianPackage: string): LibraryHandle {
  let lastError: unknown;
  for (const name of sonames) {
    try {
      return koffi.load(name);
    } catch (err) {
      lastError = err;
    }
  }
  throw new NativeLibraryError(label, debianPackage, lastError);
}

/**
 * koffi's type names live as long as the process, but module caches do not (jest
 * gives each test file its own): a second load finds the prototype already declared.
 */
export function protoOnce(name: string, decl: string): TypeObject {
  try {
    return koffi.proto(decl);
  } catch (err) {
    if (!/Duplicate type name/.test(String(err))) throw err;
    return koffi.type(name);
  }
}
