// The duties calendar and the check (GET /api/duties, GET /api/check; docs/internals/duties.md):
// their types and what the UI derives from them (Japan dates, the month grid, duties by day,
// state labels, links). Pure; see duties.test.ts.
import type { MessageKey } from './i18n'

export const DUTY_STATES = ['overdue', 'due', 'upcoming', 'done'] as const
export type DutyState = (typeof DUTY_STATES)[number]

/** What a duty or violation is about: a ledger record, a mamori account or a My Number subject. */
export type Target = { register?: string; type?: 'account' | 'mynumber_subject' | string; id: number; title: string }

export type Completion = { completed_at: string; completed_by: string; due_on: string; evidence: string; findings: string }

export type Duty = {
  code: string
  kind: 'periodic' | 'deadline'
  title: string
  title_en: string
  owner: string
  owner_label: string
  /** a date (2027-05-01, Japan) or a time (2027-04-01T09:00:00Z) */
  due: string
  state: DutyState
  source: string
  target?: Target
  cycle?: string
  last_completion?: Completion | null
}

/** A violation, with the role(s) that must put it right and where the profile says so. */
export type Violation = {
  code: string
  title: string
  title_en: string
  message: string
  message_en: string
  source: string
  target: Target
  /** the first owner role, or null when the profile names none */
  owner?: string | null
  owner_label?: string
  owners?: string[]
  /** "[violation] screen_lock" */
  owner_key?: string
  owner_source?: string
}

export type DutiesList = { at: string; items: Duty[]; hidden: number }
export type CheckResult = { checked_at: string; today: string; duties: Duty[]; violations: Violation[]; hidden: number; findings: number }

// ---- Japan dates ----

const TZ_OFFSET_MS = 9 * 3600 * 1000 // Japan has no summer time

/** The Japan date (2027-05-01) of a moment. */
export function japanDate(d: Date): string {
  return new Date(d.getTime() + TZ_OFFSET_MS).toISOString().slice(0, 10)
}

/** The Japan date of a due date: a date as it is, a time in Japan; '' when it is neither. */
export function dueDay(due: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(due)) return due
  const ms = Date.parse(due)
  return Number.isNaN(ms) ? '' : japanDate(new Date(ms))
}

/** A month as "2027-05". */
export type YearMonth = string

export function monthOf(date: string): YearMonth {
  return date.slice(0, 7)
}

/** "2027-05" moved by `delta` months. */
export function shiftMonth(ym: YearMonth, delta: number): YearMonth {
  const [y, m] = ym.split('-').map(Number)
  const n = y * 12 + (m - 1) + delta
  return `${String(Math.floor(n / 12)).padStart(4, '0')}-${String((n % 12) + 1).padStart(2, '0')}`
}

export type DayCell = { date: string; day: number; inMonth: boolean; weekday: number }

/**
 * The weeks of a month as Japanese calendars show them (Sunday first): full weeks, so the days
 * of the months before and after fill the first and last rows.
 */
export function monthGrid(ym: YearMonth): DayCell[][] {
  const [y, m] = ym.split('-').map(Number)
  const first = Date.UTC(y, m - 1, 1)
  const start = first - new Date(first).getUTCDay() * 86400000
  const weeks: DayCell[][] = []
  for (let t = start; ; ) {
    const week: DayCell[] = []
    for (let i = 0; i < 7; i++, t += 86400000) {
      const d = new Date(t)
      week.push({ date: d.toISOString().slice(0, 10), day: d.getUTCDate(), inMonth: d.getUTCMonth() === m - 1, weekday: i })
    }
    weeks.push(week)
    const next = new Date(t)
    if (next.getUTCMonth() !== m - 1 || next.getUTCFullYear() !== y) break
  }
  return weeks
}

/** The duties of each Japan date, in the order given (the server's: by due date, then code). */
export function groupByDay(items: readonly Duty[]): Map<string, Duty[]> {
  const out = new Map<string, Duty[]>()
  for (const d of items) {
    const day = dueDay(d.due)
    if (!day) continue
    const list = out.get(day)
    if (list) list.push(d)
    else out.set(day, [d])
  }
  return out
}

// ---- states ----

type StatusType = 'grey' | 'blue' | 'green' | 'red' | 'warning' | 'error'

const STATES: Record<DutyState, { label: MessageKey; type: StatusType }> = {
  overdue: { label: 'dutyStateOverdue', type: 'error' },
  due: { label: 'dutyStateDue', type: 'warning' },
  upcoming: { label: 'dutyStateUpcoming', type: 'grey' },
  done: { label: 'dutyStateDone', type: 'green' },
}

/** The label key and the StatusLabel colour of a state (undefined for one the UI does not know). */
export function stateInfo(state: string): { label: MessageKey; type: StatusType } | undefined {
  return (STATES as Record<string, { label: MessageKey; type: StatusType }>)[state]
}

export function isDutyState(s: string): s is DutyState {
  return (DUTY_STATES as readonly string[]).includes(s)
}

/** The state filter of the duties page's query (state=overdue); '' for all. */
export function stateFilterOf(query: string): DutyState | '' {
  const s = new URLSearchParams(query).get('state') ?? ''
  return isDutyState(s) ? s : ''
}

export function countByState(items: readonly Duty[]): Record<DutyState, number> {
  const out: Record<DutyState, number> = { overdue: 0, due: 0, upcoming: 0, done: 0 }
  for (const d of items) if (isDutyState(d.state)) out[d.state]++
  return out
}

// ---- links ----

/** Where a target is shown in the UI; undefined when it has no page. */
export function targetHref(t: Target | undefined): string | undefined {
  if (!t) return undefined
  if (t.register && /^[a-z][a-z_]*$/.test(t.register)) return `#/ledgers/${t.register}/${t.id}`
  if (t.type === 'mynumber_subject') return `#/mynumber/subjects/${t.id}`
  if (t.type === 'account') return '#/admin/accounts'
  return undefined
}

/** A stable key for a duty (a deadline duty once per target). */
export function dutyKey(d: Duty): string {
  return d.target ? `${d.code}:${d.target.register ?? d.target.type}:${d.target.id}` : d.code
}


/** The role keys that must put a violation right (none when the profile names none). */
export function violationOwners(v: Pick<Violation, 'owner' | 'owners'>): string[] {
  if (v.owners && v.owners.length > 0) return v.owners
  return v.owner ? [v.owner] : []
}

/** May this account record a completion (the server decides: duties.complete and the owner or the officer)? */
export function mayComplete(d: Duty, permissions: ReadonlySet<string>, roles: readonly string[]): boolean {
  return d.kind === 'periodic' && permissions.has('duties.complete') && (roles.includes(d.owner) || roles.includes('security_officer'))
}
