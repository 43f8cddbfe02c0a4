/* Prints the layout of the libpri event fields trunkpilot decodes, as JSON.
 * drivers/libpri/event-layout.test.ts compares it with drivers/libpri/event-layout.ts. */
#include <stddef.h>
#include <stdio.h>
#include <libpri.h>

#define F(view, type, field) printf("  \"%s.%s\": %zu,\n", #view, #field, offsetof(type, field))

int main(void)
{
	printf("{\n");
	printf("  \"sizeof\": %zu,\n", sizeof(pri_event));
	F(restart, pri_event_restart, channel);
	F(restartack, pri_event_restart_ack, channel);
	F(err, pri_event_error, err);
	F(ring, pri_event_ring, channel);
	F(ring, pri_event_ring, callingnum);
	F(ring, pri_event_ring, callednum);
	F(ring, pri_event_ring, flexible);
	F(ring, pri_event_ring, cref);
	F(ring, pri_event_ring, complete);
	F(ring, pri_event_ring, call);
	F(hangup, pri_event_hangup, channel);
	F(hangup, pri_event_hangup, cause);
	F(hangup, pri_event_hangup, cref);
	F(hangup, pri_event_hangup, call);
	F(ringing, pri_event_ringing, channel);
	F(ringing, pri_event_ringing, progressmask);
	F(ringing, pri_event_ringing, call);
	F(answer, pri_event_answer, channel);
	F(answer, pri_event_answer, progressmask);
	F(answer, pri_event_answer, call);
	F(proceeding, pri_event_proceeding, channel);
	F(proceeding, pri_event_proceeding, progressmask);
	F(proceeding, pri_event_proceeding, cause);
	F(proceeding, pri_event_proceeding, call);
	F(setup_ack, pri_event_setup_ack, channel);
	F(setup_ack, pri_event_setup_ack, call);
	printf("  \"end\": 0\n}\n");
	return 0;
}
