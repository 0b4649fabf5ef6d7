import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react'
import {
  Base,
  Button,
  DefinitionList,
  DefinitionListItem,
  Heading,
  InformationPanel,
  IntlProvider,
  Loader,
  PageHeading,
  Section,
  SegmentedControl,
  Stack,
  StatusLabel,
  Text,
} from 'smarthr-ui'
import { formatDate, formatDateTime, formatWarekiYear } from './format'
import { applyLangToDocument, catalogues, storeLang, type Lang, type MessageKey, type Messages } from './i18n'

// ---- routing: hash routes, so the server only serves / and /assets/* ----

const ROUTES = [
  { id: 'dashboard', label: 'navDashboard' },
  { id: 'duties', label: 'navDuties' },
  { id: 'approvals', label: 'navApprovals' },
  { id: 'ledgers', label: 'navLedgers' },
  { id: 'mynumber', label: 'navMyNumber' },
] as const satisfies readonly { id: string; label: MessageKey }[]

type RouteId = (typeof ROUTES)[number]['id']

function routeFromHash(hash: string): RouteId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0]
  return ROUTES.find((r) => r.id === id)?.id ?? 'dashboard'
}

function useRoute(): RouteId {
  const [route, setRoute] = useState(() => routeFromHash(location.hash))
  useEffect(() => {
    const onHash = () => setRoute(routeFromHash(location.hash))
    addEventListener('hashchange', onHash)
    return () => removeEventListener('hashchange', onHash)
  }, [])
  return route
}

// ---- the shell: header, navigation by job, main ----

export function App({ initialLang }: { initialLang: Lang }) {
  const [lang, setLang] = useState<Lang>(initialLang)
  const t = catalogues[lang]
  const route = useRoute()
  const mainRef = useRef<HTMLElement>(null)
  const firstRender = useRef(true)

  const changeLang = useCallback((value: string) => {
    const next: Lang = value === 'en' ? 'en' : 'ja'
    storeLang(next)
    applyLangToDocument(next)
    setLang(next)
  }, [])

  // After a navigation, move focus to the main area so keyboard and screen
  // reader users start reading the new page (not on the first load, where the
  // skip link must stay the first Tab stop).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false
      return
    }
    mainRef.current?.focus()
  }, [route])

  const current = ROUTES.find((r) => r.id === route)!

  return (
    // smarthr-ui's own texts (buttons, loaders) follow the same language.
    <IntlProvider locale={lang === 'ja' ? 'ja' : 'en_us'}>
      <a className="skip-link" href="#main" onClick={skipToMain}>
        {t.skipToMain}
      </a>
      <div className="shell">
        <header className="shell-header">
          <a className="brand" href="#/dashboard">
            <span className="brand-name">{t.productName}</span>
            <span className="brand-tagline">{t.productTagline}</span>
          </a>
          <div className="lang-switch" role="group" aria-label={t.languageLabel}>
            <span className="lang-switch-label" aria-hidden="true">
              {t.languageLabel}
            </span>
            <SegmentedControl
              size="s"
              value={lang}
              onClickOption={changeLang}
              options={[
                { value: 'ja', content: <span lang="ja">日本語</span> },
                { value: 'en', content: <span lang="en">English</span> },
              ]}
            />
          </div>
        </header>
        <nav className="shell-nav" aria-label={t.navLabel}>
          <ul>
            {ROUTES.map((r) => (
              <li key={r.id}>
                <a href={`#/${r.id}`} aria-current={r.id === route ? 'page' : undefined}>
                  {t[r.label]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {/* tabIndex=-1: focus target for the skip link and after navigation */}
        <main id="main" className="shell-main" tabIndex={-1} ref={mainRef}>
          <Stack gap={1.5}>
            {/* autoPageTitle off: the window title stays the product's */}
            <PageHeading autoPageTitle={false}>{t[current.label]}</PageHeading>
            {route === 'dashboard' ? <Dashboard t={t} lang={lang} /> : <ComingSoon t={t} />}
          </Stack>
        </main>
      </div>
    </IntlProvider>
  )
}

// The skip link targets #main, but a hash link would change the route; move
// focus by hand instead.
function skipToMain(e: React.MouseEvent) {
  e.preventDefault()
  document.getElementById('main')?.focus()
}

function ComingSoon({ t }: { t: Messages }) {
  return (
    <InformationPanel title={t.comingSoon} type="info">
      <Text as="p">{t.comingSoonBody}</Text>
    </InformationPanel>
  )
}

// ---- dashboard: for now, the server's health ----

type Health = { status: string; version?: string; schema?: number }
type HealthState =
  | { kind: 'loading' }
  | { kind: 'ok'; health: Health; at: Date }
  | { kind: 'error'; at: Date }

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

function Dashboard({ t, lang }: { t: Messages; lang: Lang }) {
  const [health, recheck] = useHealth()
  const today = new Date()
  return (
    <>
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
    </>
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
