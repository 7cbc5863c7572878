/** Visitors with their own cookie who keep loading the counter page, recording every answer. */

export interface Visit {
  user: string;
  /** When the request started / ended, ms since the epoch. */
  startedAt: number;
  endedAt: number;
  /** HTTP status, or 0 when the request failed without an answer (socket error, timeout). */
  status: number;
  /** The counter the page showed, for a 200. */
  visits?: number;
  /** The user the page said is logged in, for a 200. */
  shownUser?: string;
  /** True when the answer set a different session cookie than the one sent. */
  newCookie: boolean;
}

const sessionCookie = (response: Response): string | undefined =>
  response.headers
    .getSetCookie()
    .find((c) => c.startsWith('connect.sid='))
    ?.split(';')[0];

export class SimulatedUser {
  readonly visits: Visit[] = [];
  private cookie: string | undefined;

  constructor(
    readonly name: string,
    private readonly baseUrl: string,
  ) {}

  async login(): Promise<void> {
    const response = await fetch(`${this.baseUrl}/login`, {
      method: 'POST',
      body: new URLSearchParams({ username: this.name }),
      redirect: 'manual',
    });
    this.cookie = sessionCookie(response);
    if (response.status !== 303 || this.cookie === undefined) {
      throw new Error(`${this.name} could not log in: HTTP ${response.status}`);
    }
  }

  async visit(timeoutMs: number): Promise<Visit> {
    const startedAt = Date.now();
    const visit: Visit = { user: this.name, startedAt, endedAt: startedAt, status: 0, newCookie: false };
    try {
      const response = await fetch(`${this.baseUrl}/api/visit`, {
        headers: { cookie: this.cookie ?? '' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      visit.status = response.status;
      const cookie = sessionCookie(response);
      visit.newCookie = cookie !== undefined && cookie !== this.cookie;
      if (response.status === 200) {
        const body = (await response.json()) as { user: string; visits: number };
        visit.visits = body.visits;
        visit.shownUser = body.user;
      } else {
        await response.body?.cancel();
      }
    } catch {
      visit.status = 0;
    }
    visit.endedAt = Date.now();
    this.visits.push(visit);
    return visit;
  }

  successesSince(time: number): number {
    return this.visits.filter((v) => v.status === 200 && v.startedAt >= time).length;
  }
}

/**
 * Runs every user in its own loop (one request at a time, `thinkMs` between requests) until
 * `stop()`; `stop()` resolves once every loop has finished its last request.
 */
export function browse(users: SimulatedUser[], options: { thinkMs: number; timeoutMs: number }) {
  let running = true;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const loops = users.map(async (user, i) => {
    await pause((i * options.thinkMs) / users.length);
    while (running) {
      await user.visit(options.timeoutMs);
      await pause(options.thinkMs);
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
