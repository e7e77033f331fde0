// Coalesces redraw requests: any number of invalidate() calls between two
// animation frames cost one draw, and nothing runs while nothing changed.

type Raf = (cb: (now: number) => void) => number;
type Caf = (id: number) => void;

export class FrameScheduler {
  private pending: number | null = null;
  private disposed = false;

  constructor(
    private readonly draw: (now: number) => void,
    private readonly raf: Raf = (cb) => requestAnimationFrame(cb),
    private readonly caf: Caf = (id) => cancelAnimationFrame(id),
  ) {}

  invalidate(): void {
    if (this.pending !== null || this.disposed) return;
    this.pending = this.raf((now) => {
      this.pending = null;
      if (!this.disposed) this.draw(now);
    });
  }

  get scheduled(): boolean {
    return this.pending !== null;
  }

  dispose(): void {
    this.disposed = true;
    if (this.pending !== null) this.caf(this.pending);
    this.pending = null;
  }
}
