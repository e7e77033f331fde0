// A virtual clock shared by the client (sleep) and the model (clock), so poll
// timeouts are honoured exactly and tests run without real waiting.
export class VirtualClock {
  now = 0;
  readonly sleeps: number[] = [];
  readonly clock = () => this.now;
  readonly sleep = async (ms: number) => {
    this.sleeps.push(ms);
    this.now += ms;
  };
}
