/* Prints, as JSON, where libss7 2.0 keeps the event fields its test peer reads
 * (test-support/libss7): the union's size and the offsets of the fields by event. */
#include <stddef.h>
#include <stdio.h>
#include <libss7.h>

int main(void) {
  printf("{\"size\":%zu,", sizeof(ss7_event));
  printf("\"iam\":{\"cic\":%zu,\"called\":%zu,\"calling\":%zu,\"call\":%zu},", offsetof(ss7_event_iam, cic), offsetof(ss7_event_iam, called_party_num), offsetof(ss7_event_iam, calling_party_num), offsetof(ss7_event_iam, call));
  printf("\"acm\":{\"cic\":%zu,\"call\":%zu},", offsetof(ss7_event_acm, cic), offsetof(ss7_event_acm, call));
  printf("\"anm\":{\"cic\":%zu,\"call\":%zu},", offsetof(ss7_event_anm, cic), offsetof(ss7_event_anm, call));
  printf("\"con\":{\"cic\":%zu,\"call\":%zu},", offsetof(ss7_event_con, cic), offsetof(ss7_event_con, call));
  printf("\"rel\":{\"cic\":%zu,\"cause\":%zu,\"call\":%zu},", offsetof(ss7_event_rel, cic), offsetof(ss7_event_rel, cause), offsetof(ss7_event_rel, call));
  printf("\"rlc\":{\"cic\":%zu,\"call\":%zu},", offsetof(ss7_event_cic, cic), offsetof(ss7_event_cic, call));
  printf("\"range\":{\"startcic\":%zu,\"endcic\":%zu,\"call\":%zu}}\n", offsetof(ss7_event_cicrange, startcic), offsetof(ss7_event_cicrange, endcic), offsetof(ss7_event_cicrange, call));
  return 0;
}
