// ダッシュボード: for now, the server's health (GET /healthz, public).
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
  Text,
} from 'smarthr-ui'
import { Page } from '../components'
import { useApp } from '../context'
import { formatDate, formatDateTime, formatWarekiYear } from '../format'
import type { Messages } from '../i18n'

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
  const { t, lang } = useApp()
  const [health, recheck] = useHealth()
  const today = new Date()
  return (
    <Page title={t.navDashboard}>
      <Text as="p" color="TEXT_GREY">
        {t.today}
        {t.labelSeparator}
        {formatDate(today)}
        {lang === 'ja' && `（${formatWarekiYear(today)}）`}
      </Text>
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
