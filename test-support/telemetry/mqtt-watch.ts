import mqtt, { IClientOptions, IPublishPacket, MqttClient } from 'mqtt';

export interface Seen {
  topic: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read payloads as loose JSON (ev.json.state)
  json: any;
  retain: boolean;
  packet: IPublishPacket;
}

/** An MQTT client for tests that remembers what it received and can wait for a message. */
export class MqttWatch {
  readonly seen: Seen[] = [];
  private waiters: { match: (m: Seen) => boolean; resolve: (m: Seen) => void }[] = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      let json: unknown;
      try {
        json = JSON.parse(payload.toString());
      } catch {
        json = payload.toString();
      }
      const m = { topic, json, retain: packet.retain, packet };
      this.seen.push(m);
      this.waiters = this.waiters.filter((w) => (w.match(m) ? (w.resolve(m), false) : true));
    });
  }

  static async connect(url: string, opts: IClientOptions = {}, subscribe?: string): Promise<MqttWatch> {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 3000, ...opts });
    const w = new MqttWatch(client);
    if (subscribe) await client.subscribeAsync(subscribe, { qos: 1 });
    return w;
  }

  /** Resolves with the first message (already seen or future) that matches. */
  next(match: (m: Seen) => boolean, timeoutMs = 5000, what = 'message'): Promise<Seen> {
    const already = this.seen.find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`no ${what} within ${timeoutMs} ms; saw: ${this.seen.map((s) => s.topic).join(', ')}`)),
        timeoutMs,
      );
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(t);
          resolve(m);
        },
      });
    });
  }

  latest(topic: string): Seen | undefined {
    for (let i = this.seen.length - 1; i >= 0; i--) if (this.seen[i].topic === topic) return this.seen[i];
    return undefined;
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
