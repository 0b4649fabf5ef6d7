import { describe, expect, it } from 'vitest'
import {
  countByState,
  dueDay,
  groupByDay,
  japanDate,
  mayComplete,
  monthGrid,
  shiftMonth,
  stateFilterOf,
  stateInfo,
  targetHref,
  violationOwners,
  type Duty,
} from './duties'
import { en, ja } from './i18n'

const duty = (code: string, due: string, state: Duty['state'] = 'upcoming', extra: Partial<Duty> = {}): Duty => ({
  code,
  kind: 'periodic',
  title: code,
  title_en: code,
  owner: 'sysadmin',
  owner_label: 'システム管理者',
  due,
  state,
  source: '001',
  ...extra,
})

describe('Japan dates', () => {
  it('takes the date in Japan, not in UTC', () => {
    expect(japanDate(new Date('2027-04-30T15:00:00Z'))).toBe('2027-05-01')
    expect(japanDate(new Date('2027-04-30T14:59:59Z'))).toBe('2027-04-30')
  })
  it('keeps a due date, and moves a due time to its Japan date', () => {
    expect(dueDay('2027-05-01')).toBe('2027-05-01')
    expect(dueDay('2027-03-31T16:00:00Z')).toBe('2027-04-01')
    expect(dueDay('soon')).toBe('')
  })
  it('moves months across years', () => {
    expect(shiftMonth('2027-01', -1)).toBe('2026-12')
    expect(shiftMonth('2026-12', 1)).toBe('2027-01')
    expect(shiftMonth('2027-05', 12)).toBe('2028-05')
  })
})

describe('month grid', () => {
  it('has full weeks from Sunday, with the neighbouring months greyed', () => {
    // 2027-05-01 is a Saturday; May has 31 days and ends on a Monday
    const g = monthGrid('2027-05')
    expect(g.length).toBe(6)
    expect(g.every((w) => w.length === 7)).toBe(true)
    expect(g[0][0]).toEqual({ date: '2027-04-25', day: 25, inMonth: false, weekday: 0 })
    expect(g[0][6]).toEqual({ date: '2027-05-01', day: 1, inMonth: true, weekday: 6 })
    expect(g[5][1]).toEqual({ date: '2027-05-31', day: 31, inMonth: true, weekday: 1 })
    expect(g[5][6].date).toBe('2027-06-05')
    expect(g.flat().filter((c) => c.inMonth).length).toBe(31)
  })
  it('knows leap years, and a month that fills four weeks exactly', () => {
    expect(monthGrid('2028-02').flat().filter((c) => c.inMonth).length).toBe(29)
    // February 2026 starts on a Sunday and ends on a Saturday
    const feb = monthGrid('2026-02')
    expect(feb.length).toBe(4)
    expect(feb[0][0].date).toBe('2026-02-01')
    expect(feb[3][6].date).toBe('2026-02-28')
  })
})

describe('duties by day', () => {
  it('groups by the Japan date, keeping the order', () => {
    const items = [
      duty('log_review', '2027-05-01'),
      duty('key_return', '2027-04-30T16:00:00Z', 'due', { kind: 'deadline' }),
      duty('account_review', '2027-05-02'),
    ]
    const m = groupByDay(items)
    expect(m.get('2027-05-01')?.map((d) => d.code)).toEqual(['log_review', 'key_return'])
    expect(m.get('2027-05-02')?.map((d) => d.code)).toEqual(['account_review'])
    expect(m.has('2027-04-30')).toBe(false)
  })
  it('counts by state', () => {
    expect(countByState([duty('a', '2027-05-01', 'overdue'), duty('b', '2027-05-01', 'due'), duty('c', '2027-05-01', 'due')])).toEqual({
      overdue: 1,
      due: 2,
      upcoming: 0,
      done: 0,
    })
  })
})

describe('states', () => {
  it('has a label and a colour for each state, in both languages', () => {
    expect(stateInfo('overdue')).toEqual({ label: 'dutyStateOverdue', type: 'error' })
    expect(stateInfo('due')?.type).toBe('warning')
    expect(stateInfo('done')?.type).toBe('green')
    expect(ja[stateInfo('overdue')!.label]).toBe('期限超過')
    expect(en[stateInfo('upcoming')!.label]).toBe('Upcoming')
    expect(stateInfo('nonsense')).toBeUndefined()
  })
  it('reads the filter from the query', () => {
    expect(stateFilterOf('state=overdue')).toBe('overdue')
    expect(stateFilterOf('state=everything')).toBe('')
    expect(stateFilterOf('')).toBe('')
  })
})

describe('links and who may complete', () => {
  it('links a ledger record, a My Number subject, an account', () => {
    expect(targetHref({ register: 'takeouts', id: 3, title: 'T-001' })).toBe('#/ledgers/takeouts/3')
    expect(targetHref({ type: 'mynumber_subject', id: 9, title: '#9' })).toBe('#/mynumber/subjects/9')
    expect(targetHref({ type: 'account', id: 2, title: 'sato' })).toBe('#/admin/accounts')
    expect(targetHref(undefined)).toBeUndefined()
  })
  it('names the owner roles of a violation from the check, none when the profile names none', () => {
    expect(violationOwners({ owner: 'dept_head', owners: ['dept_head'] })).toEqual(['dept_head'])
    expect(violationOwners({ owner: 'ceo', owners: ['ceo', 'security_officer'] })).toEqual(['ceo', 'security_officer'])
    expect(violationOwners({ owner: 'sysadmin' })).toEqual(['sysadmin'])
    expect(violationOwners({ owner: null, owners: [] })).toEqual([])
    expect(violationOwners({})).toEqual([])
  })
  it('offers the completion to the owner role or the security officer, with duties.complete, for periodic duties', () => {
    const p = new Set(['duties.complete'])
    const d = duty('log_review', '2027-05-01')
    expect(mayComplete(d, p, ['sysadmin'])).toBe(true)
    expect(mayComplete(d, p, ['security_officer'])).toBe(true)
    expect(mayComplete(d, p, ['auditor'])).toBe(false)
    expect(mayComplete(d, new Set(), ['sysadmin'])).toBe(false)
    expect(mayComplete({ ...d, kind: 'deadline' }, p, ['sysadmin'])).toBe(false)
  })
})
