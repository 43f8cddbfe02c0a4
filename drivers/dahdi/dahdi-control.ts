import { DAHDI_IOCTL } from './abi';
import { DahdiCallError, DahdiUnavailableError } from './errors';
import { DahdiParamsValue, DahdiSpaninfoValue, lastErrno, loadLibC, LibC, O_CLOEXEC, O_NONBLOCK, O_RDWR } from './ffi';
import { emptyParams, emptySpaninfo } from './structs';
import { ClosedError } from '../../src/core/errors';

/**
 * /dev/dahdi/ctl: span status and counters (DAHDI_SPANSTAT) and any channel's
 * parameters (DAHDI_GET_PARAMS with a channel number), without opening channels.
 */
export class DahdiControl {
  private closed = false;

  private constructor(
    private readonly libc: LibC,
    readonly fd: number,
    readonly device: string,
  ) {}

  static open(device = '/dev/dahdi/ctl'): DahdiControl {
    const libc = loadLibC();
    const fd = libc.open(device, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw new DahdiUnavailableError(device, lastErrno());
    return new DahdiControl(libc, fd, device);
  }

  spanStatus(spanno: number): DahdiSpaninfoValue {
    this.assertOpen();
    const si = emptySpaninfo(spanno);
    if (this.libc.ioctlSpaninfo(this.fd, DAHDI_IOCTL.SPANSTAT, si) !== 0) {
      throw new DahdiCallError('DAHDI_SPANSTAT', `${this.device} (span ${spanno})`, lastErrno());
    }
    return si;
  }

  channelParams(channo: number): DahdiParamsValue {
    this.assertOpen();
    const p = emptyParams(channo);
    if (this.libc.ioctlParams(this.fd, DAHDI_IOCTL.GET_PARAMS, p) !== 0) {
      throw new DahdiCallError('DAHDI_GET_PARAMS', `${this.device} (channel ${channo})`, lastErrno());
    }
    return p;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.libc.close(this.fd);
  }

  private assertOpen(): void {
    if (this.closed) throw new ClosedError(this.device);
  }
}
