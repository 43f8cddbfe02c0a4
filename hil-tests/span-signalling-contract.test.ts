import { describeSpanSignallingContract } from '../test-support/contract/span-signalling-contract';
import { fxoSubject, gsmSubject, no7Subject, priSubject, r2Subject, virtualNetworkSubject } from '../test-support/contract/signalling-subjects';

// One line per SpanSignalling implementation: a new trunk kind joins with one line.
describeSpanSignallingContract('E1 PRI (libpri CPE against a libpri network)', priSubject);
describeSpanSignallingContract('China No.1 MFC/R2 (against the simulated exchange)', r2Subject);
describeSpanSignallingContract('China No.7 ISUP (against the simulated exchange)', no7Subject('ss7-isup'));
describeSpanSignallingContract('China No.7 TUP (against the simulated exchange)', no7Subject('ss7-tup'));
describeSpanSignallingContract('analog FXO loop start (against the simulated exchange)', fxoSubject);
describeSpanSignallingContract('GSM/LTE modules (AT commands against simulated modems)', gsmSubject);
describeSpanSignallingContract('virtual network (the pacing benchmark trunk)', virtualNetworkSubject);
