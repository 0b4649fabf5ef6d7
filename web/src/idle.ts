// The idle timer. The server ends a session after `idle_timeout_seconds` without a call (004 ch7
// §3.2); every API call notes activity. The UI counts from its own last API call (which is never
// before the server's last noted one, so the UI never believes in a session the server has ended),
// warns `idle_warning_seconds` before the end, and at the end asks the server, which answers 401
// idle_timeout.

export type IdlePhase =
  | { phase: 'active'; secondsLeft: number }
  | { phase: 'warning'; secondsLeft: number }
  | { phase: 'expired'; secondsLeft: 0 }

/** Where a session stands `now` (ms), given the last activity (ms) and the server's settings (s). */
export function idlePhase(lastActivityMs: number, nowMs: number, timeoutSeconds: number, warningSeconds: number): IdlePhase {
  const leftMs = lastActivityMs + timeoutSeconds * 1000 - nowMs
  if (leftMs <= 0) return { phase: 'expired', secondsLeft: 0 }
  const secondsLeft = Math.ceil(leftMs / 1000)
  const warnMs = Math.min(Math.max(warningSeconds, 0), timeoutSeconds) * 1000
  return leftMs <= warnMs ? { phase: 'warning', secondsLeft } : { phase: 'active', secondsLeft }
}

/**
 * How long to wait (ms) before looking again: until the warning starts when active; until the
 * displayed second changes when warning (so the countdown ticks and the end is seen on time).
 */
export function nextCheckMs(lastActivityMs: number, nowMs: number, timeoutSeconds: number, warningSeconds: number): number {
  const endMs = lastActivityMs + timeoutSeconds * 1000
  const leftMs = endMs - nowMs
  if (leftMs <= 0) return 0
  const warnMs = Math.min(Math.max(warningSeconds, 0), timeoutSeconds) * 1000
  if (leftMs > warnMs) return leftMs - warnMs
  const toNextSecond = leftMs % 1000
  return toNextSecond === 0 ? 1000 : toNextSecond
}

type Clock = {
  now: () => number
  setTimeout: (f: () => void, ms: number) => unknown
  clearTimeout: (h: unknown) => void
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (f, ms) => globalThis.setTimeout(f, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
}

/**
 * Watches the time since the last activity and reports each phase change (and, while warning,
 * each second). One timer at a time; `touch()` restarts the count, `stop()` ends it.
 */
export class IdleTimer {
  private last: number
  private handle: unknown = null
  private stopped = false

  constructor(
    private readonly timeoutSeconds: number,
    private readonly warningSeconds: number,
    private readonly onChange: (p: IdlePhase) => void,
    private readonly clock: Clock = realClock,
  ) {
    this.last = clock.now()
    this.schedule()
  }

  /** Activity just now: the count starts again. */
  touch(): void {
    if (this.stopped) return
    this.last = this.clock.now()
    this.schedule()
  }

  /** Look at the clock now (e.g. when the tab becomes visible after a sleep). */
  check(): void {
    if (!this.stopped) this.schedule()
  }

  stop(): void {
    this.stopped = true
    if (this.handle !== null) this.clock.clearTimeout(this.handle)
    this.handle = null
  }

  phase(): IdlePhase {
    return idlePhase(this.last, this.clock.now(), this.timeoutSeconds, this.warningSeconds)
  }

  private schedule(): void {
    if (this.handle !== null) this.clock.clearTimeout(this.handle)
    this.handle = null
    const now = this.clock.now()
    const p = idlePhase(this.last, now, this.timeoutSeconds, this.warningSeconds)
    this.onChange(p)
    if (p.phase === 'expired' || this.stopped) return
    const wait = nextCheckMs(this.last, now, this.timeoutSeconds, this.warningSeconds)
    this.handle = this.clock.setTimeout(() => {
      this.handle = null
      this.schedule()
    }, wait)
  }
}
