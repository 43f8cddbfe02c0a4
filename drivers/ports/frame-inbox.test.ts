import { FrameInbox, MAX_PENDING_FRAMES } from './frame-inbox';

describe('FrameInbox', () => {
  it('bounds the frames waiting: a flood beyond the limit is dropped and counted, one notification per batch', async () => {
    const inbox = new FrameInbox();
    let notified = 0;
    inbox.onReadable(() => notified++);
    for (let i = 0; i < MAX_PENDING_FRAMES + 5000; i++) inbox.deliver(Uint8Array.of(i & 0xff, 1, 2));
    expect(inbox.pending).toBe(MAX_PENDING_FRAMES);
    expect(inbox.dropped).toBe(5000);
    await new Promise((r) => setImmediate(r));
    expect(notified).toBe(1);
    expect(inbox.receive()).toEqual(Uint8Array.of(0, 1, 2));
  });
});
