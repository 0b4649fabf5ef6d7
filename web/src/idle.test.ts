import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { IdleTimer, idlePhase, nextCheckMs, type IdlePhase } from './idle'

// ipa-sme: 5 minutes idle timeout, warned 1 minute before.
const TIMEOUT = 300
const WARNING = 60

describe('idlePhase', () => {
  const t0 = 1_000_000
  it('is active until the warning starts', () => {
    expect(idlePhase(t0, t0, TIMEOUT, WARNING)).toEqual({ phase: 'active', secondsLeft: 300 })
    expect(idlePhase(t0, t0 + 239_999, TIMEOUT, WARNING).phase).toBe('active')
  })
  it('warns during the last minute, counting whole seconds up', () => {
    expect(idlePhase(t0, t0 + 240_000, TIMEOUT, WARNING)).toEqual({ phase: 'warning', secondsLeft: 60 })
    expect(idlePhase(t0, t0 + 240_001, TIMEOUT, WARNING)).toEqual({ phase: 'warning', secondsLeft: 60 })
    expect(idlePhase(t0, t0 + 299_001, TIMEOUT, WARNING)).toEqual({ phase: 'warning', secondsLeft: 1 })
  })
  it('is expired at the timeout', () => {
    expect(idlePhase(t0, t0 + 300_000, TIMEOUT, WARNING)).toEqual({ phase: 'expired', secondsLeft: 0 })
    expect(idlePhase(t0, t0 + 10_000_000, TIMEOUT, WARNING).phase).toBe('expired')
  })
  it('copes with a warning longer than the timeout, or none', () => {
    expect(idlePhase(t0, t0, 30, 60).phase).toBe('warning')
    expect(idlePhase(t0, t0 + 29_000, 30, 0).phase).toBe('active')
  })
})

describe('nextCheckMs', () => {
  const t0 = 0
  it('waits until the warning when active', () => {
    expect(nextCheckMs(t0, t0, TIMEOUT, WARNING)).toBe(240_000)
    expect(nextCheckMs(t0, t0 + 100_000, TIMEOUT, WARNING)).toBe(140_000)
  })
  it('ticks on the second while warning', () => {
    expect(nextCheckMs(t0, t0 + 240_000, TIMEOUT, WARNING)).toBe(1000)
    expect(nextCheckMs(t0, t0 + 240_300, TIMEOUT, WARNING)).toBe(700)
  })
  it('is 0 once expired', () => {
    expect(nextCheckMs(t0, t0 + 300_000, TIMEOUT, WARNING)).toBe(0)
  })
})

describe('IdleTimer', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2027-04-01T00:00:00Z'))
  })
  afterEach(() => vi.useRealTimers())

  function start() {
    const seen: IdlePhase[] = []
    const timer = new IdleTimer(TIMEOUT, WARNING, (p) => seen.push(p))
    return { timer, seen, last: () => seen[seen.length - 1] }
  }

  it('warns after timeout − warning, counts down, then expires', () => {
    const { timer, seen, last } = start()
    expect(last()).toEqual({ phase: 'active', secondsLeft: 300 })
    vi.advanceTimersByTime(239_999)
    expect(last().phase).toBe('active')
    expect(seen).toHaveLength(1) // one timer, no polling while active
    vi.advanceTimersByTime(1)
    expect(last()).toEqual({ phase: 'warning', secondsLeft: 60 })
    vi.advanceTimersByTime(1000)
    expect(last()).toEqual({ phase: 'warning', secondsLeft: 59 })
    vi.advanceTimersByTime(59_000)
    expect(last()).toEqual({ phase: 'expired', secondsLeft: 0 })
    const n = seen.length
    vi.advanceTimersByTime(600_000)
    expect(seen).toHaveLength(n) // nothing more after the end
    timer.stop()
  })

  it('starts again on activity, even during the warning', () => {
    const { timer, last } = start()
    vi.advanceTimersByTime(250_000)
    expect(last().phase).toBe('warning')
    timer.touch()
    expect(last()).toEqual({ phase: 'active', secondsLeft: 300 })
    vi.advanceTimersByTime(239_000)
    expect(last().phase).toBe('active')
    vi.advanceTimersByTime(1000)
    expect(last().phase).toBe('warning')
    timer.stop()
  })

  it('sees the end after a sleep (timers late): the phase comes from the clock', () => {
    const { timer, last } = start()
    vi.setSystemTime(Date.now() + 400_000) // the machine slept; no timer fired
    timer.check()
    expect(last().phase).toBe('expired')
    timer.stop()
  })

  it('does nothing once stopped', () => {
    const { timer, seen } = start()
    timer.stop()
    timer.touch()
    vi.advanceTimersByTime(400_000)
    expect(seen).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })
})
