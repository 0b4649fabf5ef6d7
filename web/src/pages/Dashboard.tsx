// ダッシュボード: for those who may read the check (GET /api/check), the counts of overdue duties,
// violations and duties due soon, the list of violations and overdue duties with their regulation,
// and the calendar of due dates (GET /api/duties); for others, what they can do here. For everyone,
// the server's health (GET /healthz, public).
import { useEffect, useState, type ReactNode } from 'react'
import {
  Base,
  Button,
  DefinitionList,
  DefinitionListItem,
  Heading,
  InformationPanel,
  Loader,
  Section,
  Stack,
  StatusLabel,
  Table,
  TableReel,
  Td,
  Text,
  Th,
} from 'smarthr-ui'
import { LoadError, Page } from '../components'
import { useApp } from '../context'
import { countByState, dutyKey, japanDate, targetHref, type CheckResult, type DutiesList } from '../duties'
import { formatDate, formatDateTime, formatWarekiYear } from '../format'
import { fmt, type Messages } from '../i18n'
import { CalendarCard, DueText, useOwnerLabel, useViolationOwnerLabel } from './Duties'
import { useGet } from './Ledgers'

type Health = { status: string; version?: string; schema?: number }
type HealthState = { kind: 'loading' } | { kind: 'ok'; health: Health; at: Date } | { kind: 'error'; at: Date }

function useHealth(): [HealthState, () => void] {
  const [state, setState] = useState<HealthState>({ kind: 'loading' })
  const [tick, setTick] = useState(0)
  useEffect(() => {
    const ctl = new AbortController()
    setState({ kind: 'loading' })
    fetch('/healthz', { signal: ctl.signal, headers: { Accept: 'application/json' } })
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`)
        setState({ kind: 'ok', health: (await res.json()) as Health, at: new Date() })
      })
      .catch(() => {
        if (!ctl.signal.aborted) setState({ kind: 'error', at: new Date() })
      })
    return () => ctl.abort()
  }, [tick])
  return [state, () => setTick((n) => n + 1)]
}

export function DashboardPage() {
  const { t, lang, permissions } = useApp()
  const [health, recheck] = useHealth()
  const canCheck = permissions.has('check.read')
  const canDuties = permissions.has('duties.read')
  const check = useGet<CheckResult>(canCheck ? '/api/check' : null)
  // the server's date when it has said it (its clock is the one duties follow), else this computer's
  const today = check.data ? new Date(`${check.data.today}T12:00:00+09:00`) : new Date()
  return (
    <Page title={t.navDashboard}>
      <Text as="p" color="TEXT_GREY">
        {t.today}
        {t.labelSeparator}
        {formatDate(today)}
        {lang === 'ja' && `（${formatWarekiYear(today)}）`}
      </Text>
      {canCheck ? <CheckView check={check} /> : <Welcome />}
      {!canCheck && canDuties && <CalendarOnly />}
      <Section>
        <Base padding={1.5} className="card">
          <Stack gap={1}>
            <Heading>{t.serverStatusHeading}</Heading>
            <HealthView t={t} state={health} />
            <div>
              <Button size="s" onClick={recheck} disabled={health.kind === 'loading'}>
                {t.recheck}
              </Button>
            </div>
          </Stack>
        </Base>
      </Section>
    </Page>
  )
}

/** For those with check.read: the counts, the violations and overdue duties, the calendar. */
function CheckView({ check }: { check: ReturnType<typeof useGet<CheckResult>> }) {
  const { t, lang, permissions } = useApp()
  const duties = useGet<DutiesList>(permissions.has('duties.read') ? '/api/duties' : null)
  const ownerLabel = useOwnerLabel()
  const violationOwner = useViolationOwnerLabel()
  if (check.error !== null && check.data === null) return <LoadError error={check.error} retry={check.reload} />
  if (check.data === null) return <Loader size="s" text={t.loading} />
  const c = check.data
  const items = duties.data?.items ?? []
  const dueSoon = duties.data ? countByState(items).due : null
  const focusFindings = (e: React.MouseEvent) => {
    e.preventDefault()
    document.getElementById('findings-heading')?.focus()
  }
  const hidden = c.hidden
  return (
    <>
      <section aria-labelledby="counts-heading">
        <h2 id="counts-heading" className="visually-hidden">
          {t.dashboardCounts}
        </h2>
        <ul className="counts">
          <CountCard kind="overdue" label={t.countOverdue} value={c.duties.length} href="#/duties?state=overdue" />
          <CountCard kind="violations" label={t.countViolations} value={c.violations.length} href="#/dashboard" onClick={focusFindings} />
          <CountCard kind="due" label={t.countDueSoon} value={dueSoon} href="#/duties?state=due" />
        </ul>
        {hidden > 0 && (
          <Text as="p" size="S" color="TEXT_GREY">
            {fmt(t.countHidden, { count: hidden })}
          </Text>
        )}
      </section>
      <Section>
        <Base padding={1.5} className="card card--wide">
          <Stack gap={1}>
            <Heading id="findings-heading" tabIndex={-1}>
              {t.findingsHeading}
            </Heading>
            {c.violations.length + c.duties.length === 0 ? (
              <Text as="p">{t.findingsNone}</Text>
            ) : (
              <TableReel>
                <Table className="data-table findings-table" aria-labelledby="findings-heading">
                  <thead>
                    <tr>
                      <Th>{t.findingKind}</Th>
                      <Th>{t.findingWhat}</Th>
                      <Th>{t.dutySource}</Th>
                      <Th>{t.dutyOwner}</Th>
                      <Th>{t.findingTarget}</Th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.violations.map((v, i) => {
                      const href = targetHref(v.target)
                      return (
                        <tr key={`v${i}`} className="finding" data-kind="violation" data-code={v.code}>
                          <Td className="nowrap">
                            <StatusLabel type="error">{t.kindViolation}</StatusLabel>
                          </Td>
                          <Td>
                            <div className="duty-title">{lang === 'ja' ? v.title : v.title_en}</div>
                            <div className="muted small">{lang === 'ja' ? v.message : v.message_en}</div>
                          </Td>
                          <Td className="finding-source">{v.source}</Td>
                          <Td className="nowrap finding-owner" title={v.owner_source || undefined}>
                            {violationOwner(v)}
                          </Td>
                          <Td className="nowrap">{href ? <a href={href}>{v.target.title || `#${v.target.id}`}</a> : v.target.title || '—'}</Td>
                        </tr>
                      )
                    })}
                    {c.duties.map((d) => {
                      const href = targetHref(d.target)
                      return (
                        <tr key={dutyKey(d)} className="finding" data-kind="overdue" data-code={d.code}>
                          <Td className="nowrap">
                            <StatusLabel type="warning">{t.kindOverdue}</StatusLabel>
                          </Td>
                          <Td>
                            <div className="duty-title">{lang === 'ja' ? d.title : d.title_en}</div>
                            <div className="muted small">
                              {t.dutyDue}
                              {t.labelSeparator}
                              <DueText due={d.due} wareki={false} />
                            </div>
                          </Td>
                          <Td className="finding-source">{d.source}</Td>
                          <Td className="nowrap">{ownerLabel(d)}</Td>
                          <Td className="nowrap">
                            {href ? <a href={href}>{d.target?.title || `#${d.target?.id}`}</a> : <a href="#/duties?state=overdue">{t.navDuties}</a>}
                          </Td>
                        </tr>
                      )
                    })}
                  </tbody>
                </Table>
              </TableReel>
            )}
          </Stack>
        </Base>
      </Section>
      {duties.error !== null && duties.data === null ? (
        <LoadError error={duties.error} retry={duties.reload} />
      ) : duties.data ? (
        <CalendarCard items={items} today={c.today} />
      ) : permissions.has('duties.read') ? (
        <Loader size="s" text={t.loading} />
      ) : null}
    </>
  )
}

function CountCard({ kind, label, value, href, onClick }: { kind: string; label: string; value: number | null; href: string; onClick?: (e: React.MouseEvent) => void }) {
  return (
    <li className="count" data-kind={kind} data-value={value ?? ''}>
      <a href={href} onClick={onClick}>
        <span className="count-value">{value ?? '—'}</span>
        <span className="count-label">{label}</span>
      </a>
    </li>
  )
}

/** For those with duties.read only: the calendar. */
function CalendarOnly() {
  const duties = useGet<DutiesList>('/api/duties')
  if (duties.error !== null && duties.data === null) return <LoadError error={duties.error} retry={duties.reload} />
  if (duties.data === null) return null
  return <CalendarCard items={duties.data.items} today={japanDate(new Date(duties.data.at))} />
}

/** For everyone else: what they can do here. */
function Welcome() {
  const { t } = useApp()
  return (
    <Section>
      <Base padding={1.5} className="card welcome">
        <Stack gap={0.75}>
          <Heading>{t.welcomeHeading}</Heading>
          <Text as="p">{t.welcomeLead}</Text>
          <ul className="welcome-links">
            <li>
              <a href="#/ledgers">{t.navLedgers}</a>
              <span className="muted small">{t.welcomeLedgers}</span>
            </li>
            <li>
              <a href="#/mynumber">{t.navMyNumber}</a>
              <span className="muted small">{t.welcomeMyNumber}</span>
            </li>
            <li>
              <a href="#/approvals">{t.navApprovals}</a>
              <span className="muted small">{t.welcomeApprovals}</span>
            </li>
          </ul>
        </Stack>
      </Base>
    </Section>
  )
}

function HealthView({ t, state }: { t: Messages; state: HealthState }): ReactNode {
  if (state.kind === 'loading') return <Loader size="s" text={t.loading} />
  if (state.kind === 'error')
    return (
      <p className="health" data-status="unreachable">
        <StatusLabel type="error">{t.serverUnreachable}</StatusLabel>
      </p>
    )
  const { health, at } = state
  const ok = health.status === 'ok'
  return (
    // The wrapper carries the raw status for tests and styling; smarthr-ui's
    // DefinitionList does not pass data attributes through.
    <div className="health" data-status={health.status}>
      <DefinitionList maxColumns={2}>
        <DefinitionListItem term={t.serverStatus}>
          <StatusLabel type={ok ? 'green' : 'warning'}>{ok ? t.statusOk : `${t.statusUnknown} (${health.status})`}</StatusLabel>
        </DefinitionListItem>
        <DefinitionListItem term={t.serverVersion}>
          <span className="health-version">{health.version ?? '—'}</span>
        </DefinitionListItem>
        <DefinitionListItem term={t.serverSchema}>{health.schema ?? '—'}</DefinitionListItem>
        <DefinitionListItem term={t.serverCheckedAt}>{formatDateTime(at)}</DefinitionListItem>
      </DefinitionList>
    </div>
  )
}

export function ComingSoonPage({ title }: { title: string }) {
  const { t } = useApp()
  return (
    <Page title={title}>
      <InformationPanel title={t.comingSoon} type="info">
        <Text as="p">{t.comingSoonBody}</Text>
      </InformationPanel>
    </Page>
  )
}

export function ForbiddenPage({ title }: { title: string }) {
  const { t } = useApp()
  return (
    <Page title={title}>
      <InformationPanel title={t.forbidden} type="warning">
        <Text as="p">{t.forbidden}</Text>
      </InformationPanel>
    </Page>
  )
}
