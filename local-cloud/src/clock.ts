/** The local cloud's one clock: Date.now() + offsetMs (docs/ARCHITECTURE.md, "Time in the local cloud"). */
export class Clock {
  private offset = 0;
  private readonly listeners = new Set<(offsetMs: number) => void>();

  get offsetMs(): number {
    return this.offset;
  }

  now(): number {
    return Date.now() + this.offset;
  }

  setOffset(offsetMs: number): void {
    if (!Number.isFinite(offsetMs)) throw new RangeError('offsetMs must be a finite number');
    this.offset = Math.trunc(offsetMs);
    for (const l of this.listeners) l(this.offset);
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError('advanceMs must be a finite number');
    this.setOffset(this.offset + ms);
  }

  onChange(listener: (offsetMs: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
