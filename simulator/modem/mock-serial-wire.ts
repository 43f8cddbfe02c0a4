import { MockBinding } from '@serialport/binding-mock';
import type { BindingInterface, BindingPortInterface, OpenOptions, PortInfo } from '@serialport/bindings-interface';
import { SerialFarEnd } from './serial-far-end';

interface Device {
  present: boolean;
  port?: BindingPortInterface & { emitData(data: Buffer): void };
  listeners: Set<(bytes: Uint8Array) => void>;
}

/**
 * @serialport/binding-mock with a device on the other end: what the driver writes
 * reaches the device's listeners, what the device writes arrives as read data, and a
 * device can vanish (the open port is closed under the driver; opens fail) and come
 * back. The driver runs its production BindingSerialLine on `binding`. Modem-control
 * lines work here (a pty has none).
 */
export class MockSerialWire {
  private readonly devices = new Map<string, Device>();

  constructor() {
    MockBinding.reset();
  }

  readonly binding: BindingInterface = {
    list: async (): Promise<PortInfo[]> => [...this.devices.entries()].filter(([, d]) => d.present).map(([path]) => ({ path }) as PortInfo),
    open: async (options: OpenOptions): Promise<BindingPortInterface> => {
      const dev = this.devices.get(options.path);
      if (!dev || !dev.present) throw new Error(`Port does not exist - please call MockBinding.createPort('${options.path}') first`);
      const port = (await MockBinding.open(options)) as unknown as NonNullable<Device['port']>;
      const write = port.write.bind(port);
      port.write = async (buffer: Buffer) => {
        await write(buffer);
        const bytes = Uint8Array.from(buffer);
        for (const l of [...dev.listeners]) l(bytes);
      };
      dev.port = port;
      return port;
    },
  };

  /** Whether a device is plugged in at `path` (the opener's presence check). */
  exists = async (path: string): Promise<boolean> => this.devices.get(path)?.present ?? false;

  /** Adds a device at `path` and returns its end. */
  device(path: string): SerialFarEnd {
    const dev: Device = { present: true, listeners: new Set() };
    this.devices.set(path, dev);
    MockBinding.createPort(path, { echo: false, record: false });
    return {
      path,
      get present() {
        return dev.present;
      },
      write: (bytes) => {
        if (dev.present && dev.port?.isOpen)
          dev.port.emitData(Buffer.from(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes));
      },
      on: (listener) => {
        dev.listeners.add(listener);
        return () => dev.listeners.delete(listener);
      },
      vanish: async () => {
        dev.present = false;
        const port = dev.port;
        dev.port = undefined;
        if (port?.isOpen) await port.close();
      },
      reappear: async () => {
        dev.present = true;
      },
      close: async () => {
        dev.present = false;
        dev.listeners.clear();
        if (dev.port?.isOpen) await dev.port.close();
      },
    };
  }
}
