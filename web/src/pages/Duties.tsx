// やること: the duties calendar (GET /api/duties) as a table with a state filter, and the record of a
// periodic duty's completion (POST /api/duties/{code}/completions). Also the month calendar of due
// dates that the dashboard shows.
import { useState, type FormEvent, type ReactNode } from 'react'
import {
  Base,
  Button,
  Cluster,
  FormControl,
  FormDialog,
  Heading,
  Loader,
  RequiredLabel,
  Section,
  SegmentedControl,
  Stack,
  StatusLabel,
  Table,
  TableReel,
  Td,
  Text,
  Textarea,
  Th,
} from 'smarthr-ui'
import { api, isApiError } from '../api'
import { roleLabel } from '../auth'
import { errorMessage, LoadError, Page, useFocusFirstInvalid } from '../components'
import { useApp } from '../context'
import {
  countByState,
  DUTY_STATES,
  dueDay,
  dutyKey,
  groupByDay,
  mayComplete,
  monthGrid,
  monthOf,
  shiftMonth,
  stateFilterOf,
  stateInfo,
  targetHref,
  violationOwners,
  type Duty,
  type DutiesList,
  type Violation,
  type YearMonth,
} from '../duties'
import { fieldErrors, isoDateToDisplay, type FieldErrors } from '../forms'
import { formatDateTime, formatWarekiDate } from '../format'
import { fmt } from '../i18n'
import { useGet } from './Ledgers'

// ---- small pieces shared with the dashboard ----

export function DutyStateLabel({ state }: { state: string }) {
  const { t } = useApp()
  const s = stateInfo(state)
  return (
    <span className="duty-state" data-state={state}>
      <StatusLabel type={s?.type ?? 'grey'}>{s ? t[s.label] : state}</StatusLabel>
    </span>
  )
}

/** A due date as 2027/05/01 (和暦 under it in Japanese), or a due time as 2027/04/01 18:00. */
export function DueText({ due, wareki = true }: { due: string; wareki?: boolean }) {
  const { lang } = useApp()
  if (/^\d{4}-\d{2}-\d{2}$/.test(due)) {
    const w = wareki && lang === 'ja' ? formatWarekiDate(due) : ''
    return (
      <span className="due">
        <time dateTime={due}>{isoDateToDisplay(due)}</time>
        {w && <span className="due-wareki muted small">{w}</span>}
      </span>
    )
  }
  const ms = Date.parse(due)
  return Number.isNaN(ms) ? <>{due}</> : <time dateTime={due}>{formatDateTime(new Date(ms))}</time>
}

/** A duty's title in the UI language, with the record it is about. */
export function dutyTitle(d: Duty, lang: string): string {
  const title = lang === 'ja' ? d.title : d.title_en
  return d.target?.title ? `${title}（${d.target.title}）` : title
}

export function useOwnerLabel(): (d: Pick<Duty, 'owner' | 'owner_label'>) => string {
  const { roles, lang } = useApp()
  return (d) => (roles.some((r) => r.key === d.owner) ? roleLabel(d.owner, roles, lang) : lang === 'ja' ? d.owner_label : d.owner)
}

/** The owner roles of a violation as the UI names them ('—' when the profile names none). */
export function useViolationOwnerLabel(): (v: Violation) => string {
  const { roles, lang } = useApp()
  return (v) => {
    const keys = violationOwners(v)
    if (keys.length === 0) return '—'
    if (lang === 'ja' && keys.some((k) => !roles.some((r) => r.key === k)) && v.owner_label) return v.owner_label
    return keys.map((k) => roleLabel(k, roles, lang)).join(lang === 'ja' ? '、' : ', ')
  }
}

// ---- the month calendar ----

const MAX_PER_DAY = 3

/** A month of due dates: each day lists its duties; today is marked; previous and next month. */
export function DutyCalendar({ items, today }: { items: readonly Duty[]; today: string }) {
  const { t, lang } = useApp()
  const [month, setMonth] = useState<YearMonth>(() => monthOf(today))
  const byDay = groupByDay(items)
  const weeks = monthGrid(month)
  const [y, m] = month.split('-').map(Number)
  const caption = fmt(t.calendarMonth, { year: y, month: m })
  const weekdays = t.weekdays.split(',')
  return (
    <Section className="duty-calendar" aria-labelledby="calendar-heading">
      <Stack gap={0.75}>
        <Cluster justify="space-between" align="center">
          <Heading id="calendar-heading">
            {t.calendarHeading}
          </Heading>
          <Cluster gap={0.5} align="center">
            <Button size="s" onClick={() => setMonth(shiftMonth(month, -1))} aria-label={t.calendarPrev}>
              ‹ {t.calendarPrev}
            </Button>
            <Button size="s" onClick={() => setMonth(monthOf(today))} disabled={month === monthOf(today)}>
              {t.calendarThisMonth}
            </Button>
            <Button size="s" onClick={() => setMonth(shiftMonth(month, 1))} aria-label={t.calendarNext}>
              {t.calendarNext} ›
            </Button>
          </Cluster>
        </Cluster>
        <table className="calendar" data-month={month}>
          <caption aria-live="polite">{caption}</caption>
          <thead>
            <tr>
              {weekdays.map((w, i) => (
                <th key={i} scope="col" className={i === 0 ? 'sun' : i === 6 ? 'sat' : undefined}>
                  {w}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((week) => (
              <tr key={week[0].date}>
                {week.map((c) => {
                  const list = byDay.get(c.date) ?? []
                  const isToday = c.date === today
                  const cls = ['calendar-day', c.inMonth ? '' : 'other-month', isToday ? 'today' : '', c.weekday === 0 ? 'sun' : c.weekday === 6 ? 'sat' : '']
                    .filter(Boolean)
                    .join(' ')
                  return (
                    <td key={c.date} className={cls} data-date={c.date} aria-current={isToday ? 'date' : undefined}>
                      <div className="calendar-date">
                        <time dateTime={c.date}>{c.day}</time>
                        {isToday && <span className="calendar-today">{t.calendarToday}</span>}
                      </div>
                      {list.length > 0 && (
                        <ul className="calendar-items">
                          {list.slice(0, MAX_PER_DAY).map((d) => {
                            const s = stateInfo(d.state)
                            return (
                              <li key={dutyKey(d)} className="calendar-item" data-state={d.state} data-code={d.code}>
                                <a href={targetHref(d.target) ?? '#/duties'}>
                                  <span className="visually-hidden">
                                    {isoDateToDisplay(c.date)} {s ? t[s.label] : d.state}：
                                  </span>
                                  {dutyTitle(d, lang)}
                                </a>
                              </li>
                            )
                          })}
                          {list.length > MAX_PER_DAY && (
                            <li className="calendar-more">
                              <a href="#/duties">{fmt(t.calendarMore, { count: list.length - MAX_PER_DAY })}</a>
                            </li>
                          )}
                        </ul>
                      )}
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </Stack>
    </Section>
  )
}

// ---- やること ----

export function DutiesPage({ query }: { query: string }) {
  const { t, lang, permissions, session, notify } = useApp()
  const { data, error, loading, reload } = useGet<DutiesList>('/api/duties')
  const [completing, setCompleting] = useState<Duty | null>(null)
  const ownerLabel = useOwnerLabel()
  const filter = stateFilterOf(query)
  const roles = session?.account.roles ?? []

  let body: ReactNode
  if (error !== null && data === null) body = <LoadError error={error} retry={reload} />
  else if (data === null) body = <Loader size="s" text={t.loading} />
  else {
    const counts = countByState(data.items)
    const items = filter ? data.items.filter((d) => d.state === filter) : data.items
    const options = [
      { value: '', content: `${t.filterAll}（${data.items.length}）` },
      ...DUTY_STATES.map((s) => ({ value: s, content: `${t[stateInfo(s)!.label]}（${counts[s]}）` })),
    ]
    body = (
      <Stack gap={1}>
        <div role="group" aria-label={t.dutiesFilter} className="duties-filter">
          <SegmentedControl
            size="s"
            value={filter}
            onClickOption={(v) => {
              location.hash = v ? `#/duties?state=${v}` : '#/duties'
            }}
            options={options}
          />
        </div>
        <Text as="p" color="TEXT_GREY" size="S">
          {fmt(t.dutiesAsOf, { at: formatDateTime(new Date(data.at)) })}
          {data.hidden > 0 && <> {fmt(t.countHidden, { count: data.hidden })}</>}
        </Text>
        <TableReel>
          <Table className="data-table duties-table" aria-label={t.dutiesTable} aria-busy={loading || undefined}>
            <thead>
              <tr>
                <Th>{t.dutyName}</Th>
                <Th>{t.dutyOwner}</Th>
                <Th>{t.dutyDue}</Th>
                <Th>{t.dutyState}</Th>
                <Th>{t.dutyLast}</Th>
                <Th>
                  <span className="visually-hidden">{t.completeAction}</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {items.length === 0 ? (
                <tr>
                  <Td colSpan={6}>{t.dutiesEmpty}</Td>
                </tr>
              ) : (
                items.map((d) => {
                  const href = targetHref(d.target)
                  const last = d.last_completion
                  return (
                    <tr key={dutyKey(d)} data-code={d.code} data-state={d.state}>
                      <Td>
                        <div className="duty-title">{href ? <a href={href}>{dutyTitle(d, lang)}</a> : dutyTitle(d, lang)}</div>
                        <div className="muted small">{d.source}</div>
                      </Td>
                      <Td className="nowrap">{ownerLabel(d)}</Td>
                      <Td className="nowrap">
                        <DueText due={d.due} />
                      </Td>
                      <Td className="nowrap">
                        <DutyStateLabel state={d.state} />
                      </Td>
                      <Td className="nowrap duty-last">
                        {last
                          ? fmt(t.dutyLastBy, { who: last.completed_by, when: formatDateTime(new Date(last.completed_at)) })
                          : d.kind === 'periodic'
                            ? t.dutyNever
                            : '—'}
                      </Td>
                      <Td className="nowrap">
                        {mayComplete(d, permissions, roles) && (
                          <Button size="s" onClick={() => setCompleting(d)} aria-label={`${t.completeAction}：${dutyTitle(d, lang)}`}>
                            {t.completeAction}
                          </Button>
                        )}
                      </Td>
                    </tr>
                  )
                })
              )}
            </tbody>
          </Table>
        </TableReel>
      </Stack>
    )
  }

  return (
    <Page title={t.navDuties}>
      <Text as="p">{t.dutiesLead}</Text>
      {body}
      {completing && (
        <CompleteDialog
          duty={completing}
          onClose={() => setCompleting(null)}
          onDone={() => {
            const title = dutyTitle(completing, lang)
            setCompleting(null)
            notify((m) => fmt(m.completeDone, { duty: title }))
            reload()
          }}
        />
      )}
    </Page>
  )
}

const COMPLETE_ORDER = ['evidence', 'findings'] as const
const completeId = (f: string) => `complete-${f}`

function CompleteDialog({ duty, onClose, onDone }: { duty: Duty; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useApp()
  const [evidence, setEvidence] = useState('')
  const [findings, setFindings] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [status, setStatus] = useState<{ status: 'processing' } | { status: 'error'; text: string } | undefined>()
  useFocusFirstInvalid(attempt, errors, COMPLETE_ORDER, completeId)

  const submit = async (_close: () => void, e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    setStatus({ status: 'processing' })
    setErrors({})
    try {
      await postCompletion(duty.code, { evidence, findings: findings.trim() === '' ? null : findings })
      onDone()
    } catch (err) {
      // 422: next to the fields; 403: not this duty's owner (the server's words)
      const fe = isApiError(err, 422) || isApiError(err, 403) ? fieldErrors(err, lang, COMPLETE_ORDER) : {}
      const other = fe[''] ?? []
      delete fe['']
      setErrors(fe)
      setStatus({
        status: 'error',
        text: other.length ? other.join(' ') : Object.keys(fe).length ? t.formHasErrors : errorMessage(err, t, lang),
      })
      setAttempt((n) => n + 1)
    }
  }

  return (
    <FormDialog
      isOpen
      size="M"
      title={fmt(t.completeTitle, { duty: dutyTitle(duty, lang) })}
      actionText={t.completeSubmit}
      responseStatus={status}
      decorators={{ closeButtonLabel: () => t.cancel }}
      onClickClose={onClose}
      onSubmit={submit}
    >
      <Stack gap={1.25}>
        <Text as="p" size="S" color="TEXT_GREY">
          {fmt(t.completeDue, { due: isoDateToDisplay(dueDay(duty.due)) })}　{duty.source}
        </Text>
        <FormControl
          label={{ text: t.evidence, htmlFor: completeId('evidence') }}
          statusLabels={<RequiredLabel />}
          helpMessage={t.evidenceHelp}
          errorMessages={errors.evidence}
          data-field="evidence"
        >
          <Textarea id={completeId('evidence')} value={evidence} onChange={(e) => setEvidence(e.target.value)} rows={4} width="100%" maxLetters={4000} />
        </FormControl>
        <FormControl label={{ text: t.findings, htmlFor: completeId('findings') }} helpMessage={t.findingsHelp} errorMessages={errors.findings} data-field="findings">
          <Textarea id={completeId('findings')} value={findings} onChange={(e) => setFindings(e.target.value)} rows={3} width="100%" maxLetters={4000} />
        </FormControl>
      </Stack>
    </FormDialog>
  )
}

const postCompletion = (code: string, body: { evidence: string; findings: string | null }) =>
  api.post<Duty>(`/api/duties/${encodeURIComponent(code)}/completions`, body)

/** A block for the dashboard: the calendar in a card. */
export function CalendarCard({ items, today }: { items: readonly Duty[]; today: string }) {
  return (
    <Base padding={1.5} className="card card--wide">
      <DutyCalendar items={items} today={today} />
    </Base>
  )
}
