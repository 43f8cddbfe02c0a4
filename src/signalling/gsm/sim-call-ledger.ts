/**
 * Where each SIM's calls of the day are counted, so a restart mid-day does not give a SIM
 * its whole daily cap again (Chinese operators block SIMs that call too much). Keyed by
 * the SIM's ICCID (the SIM, not the slot it sits in) and the local date of the cap day.
 * The campaign stores keep it (SQLite and PostgreSQL: the sim_calls table).
 */
export interface SimCallLedger {
  /** Calls counted for the SIM on `day` (YYYY-MM-DD, the cap's local date); 0 when none. */
  simCallsOn(iccid: string, day: string): Promise<number> | number;
  /** Counts one call placed by the SIM on `day`. */
  countSimCall(iccid: string, day: string): Promise<void> | void;
}
