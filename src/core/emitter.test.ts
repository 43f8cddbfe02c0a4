import { Emitter } from './emitter';

describe('Emitter', () => {
  it('calls listeners in order and stops calling one after it unsubscribes', () => {
    const e = new Emitter<[number]>();
    const seen: string[] = [];
    const offA = e.on((n) => seen.push(`a${n}`));
    e.on((n) => seen.push(`b${n}`));
    e.emit(1);
    offA();
    offA();
    e.emit(2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
    expect(e.size).toBe(1);
  });

  it('a throwing listener neither stops the others nor unwinds the emitter', () => {
    const errors: unknown[] = [];
    const e = new Emitter<[string]>((err) => errors.push(err));
    const seen: string[] = [];
    e.on(() => {
      throw new Error('listener broke');
    });
    e.on((s) => seen.push(s));
    expect(() => e.emit('x')).not.toThrow();
    expect(seen).toEqual(['x']);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('listener broke');
  });

  it('a listener added while emitting hears the next emit, not this one', () => {
    const e = new Emitter<[]>();
    let late = 0;
    e.on(() => {
      e.on(() => late++);
    });
    e.emit();
    expect(late).toBe(0);
    e.emit();
    expect(late).toBe(1);
  });
});
