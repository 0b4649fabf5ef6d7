import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { Button, IntlProvider, Loader, SegmentedControl } from 'smarthr-ui'
import { api, csrf, isApiError, setCsrf, subscribe, type Problem } from './api'
import { permissionsOf, problemText, setupStep, type Role, type Session } from './auth'
import { normalHash } from './components'
import { AppContext, useApp, type AppContextValue, type Notice } from './context'
import { IdleTimer, type IdlePhase } from './idle'
import { IdleWarning } from './IdleWarning'
import { applyLangToDocument, catalogues, storeLang, type Lang, type MessageKey } from './i18n'
import { AccountsPage } from './pages/Accounts'
import { ApprovalPage, ApprovalsPage, NewRequestPage } from './pages/Approvals'
import { ComingSoonPage, DashboardPage, ForbiddenPage } from './pages/Dashboard'
import { DutiesPage } from './pages/Duties'
import { LoginPage, type LoginNotice } from './pages/Login'
import { MfaPage, RecoveryCodesPage } from './pages/Mfa'
import { PasswordPage } from './pages/Password'
import { LedgerImportPage, LedgerListPage, LedgerRecordPage, LedgersPage } from './pages/Ledgers'
import { PeoplePage, PersonFormPage } from './pages/People'
import { MyNumberPage, SubjectPage } from './pages/MyNumber'
import { ADMIN_NAV, MAIN_NAV, permissionFor, routeFromHash, sectionOf, viewKeyOf, type Route } from './routes'

// ---- routing: hash routes, so the server only serves / and /assets/* ----

function useRoute(): Route {
  const [hash, setHash] = useState(() => location.hash)
  useEffect(() => {
    const onHash = () => setHash(location.hash)
    addEventListener('hashchange', onHash)
    return () => removeEventListener('hashchange', onHash)
  }, [])
  return useMemo(() => routeFromHash(hash), [hash])
}

// ---- who is signed in ----

/** Why the sign-in page is shown: a message key, or the server's own words for the end. */
type SignedOutReason = { key: MessageKey; problem?: Problem; tone: LoginNotice['tone'] } | null

type Auth = { kind: 'checking' } | { kind: 'signedOut'; reason: SignedOutReason } | { kind: 'signedIn'; session: Session }

const fetchSession = () => api.get<Session>('/api/session')

// ---- the shell: header, navigation by job, main ----

export function App({ initialLang }: { initialLang: Lang }) {
  const [lang, setLang] = useState<Lang>(initialLang)
  const t = catalogues[lang]
  const route = useRoute()
  const mainRef = useRef<HTMLElement>(null)
  // Without a CSRF token this tab cannot act for a session: sign in (see api.ts).
  const [auth, setAuth] = useState<Auth>(() => (csrf() ? { kind: 'checking' } : { kind: 'signedOut', reason: null }))
  const [roles, setRoles] = useState<Role[] | null>(null)
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null)
  const [idle, setIdle] = useState<IdlePhase | null>(null)
  const [notice, setNotice] = useState<Notice | null>(null)
  const timerRef = useRef<IdleTimer | null>(null)
  const session = auth.kind === 'signedIn' ? auth.session : null

  const changeLang = useCallback((value: string) => {
    const next: Lang = value === 'en' ? 'en' : 'ja'
    storeLang(next)
    applyLangToDocument(next)
    setLang(next)
  }, [])

  const signedOut = useCallback((reason: SignedOutReason) => {
    setCsrf(null)
    setRecoveryCodes(null)
    setRoles(null)
    setNotice(null)
    setAuth({ kind: 'signedOut', reason })
  }, [])

  const refreshSession = useCallback(async () => {
    try {
      const s = await fetchSession()
      setAuth({ kind: 'signedIn', session: s })
    } catch {
      // a 401 is handled by the `ended` listener; anything else leaves things as they are
    }
  }, [])

  // The API's events: the end of the session, a restricted session, activity.
  useEffect(
    () =>
      subscribe({
        ended: (p) => signedOut({ key: p.rule === 'idle_timeout' ? 'idleLoggedOut' : 'sessionEnded', problem: p, tone: 'warning' }),
        restricted: () => void refreshSession(),
        activity: () => timerRef.current?.touch(),
      }),
    [signedOut, refreshSession],
  )

  // A reload keeps the session when this tab still has its CSRF token.
  useEffect(() => {
    if (auth.kind !== 'checking') return
    fetchSession()
      .then((s) => setAuth({ kind: 'signedIn', session: s }))
      .catch((e) => {
        if (!isApiError(e, 401)) signedOut({ key: 'networkError', tone: 'warning' })
      })
    // once, on load
  }, [])

  // The idle timer, while signed in.
  const accountId = session?.account.id ?? null
  const idleTimeout = session?.idle_timeout_seconds ?? 0
  const idleWarning = session?.idle_warning_seconds ?? 0
  useEffect(() => {
    if (accountId === null || idleTimeout <= 0) {
      setIdle(null)
      return
    }
    const timer = new IdleTimer(idleTimeout, idleWarning, setIdle)
    timerRef.current = timer
    const onVisible = () => timer.check()
    document.addEventListener('visibilitychange', onVisible)
    return () => {
      timer.stop()
      if (timerRef.current === timer) timerRef.current = null
      document.removeEventListener('visibilitychange', onVisible)
    }
  }, [accountId, idleTimeout, idleWarning])

  // At the end of the idle time, ask the server: it answers 401 idle_timeout (→ `ended`), or 200
  // when the session was kept alive elsewhere (→ activity, the count starts again).
  const expiring = useRef(false)
  useEffect(() => {
    if (idle?.phase !== 'expired' || expiring.current) return
    expiring.current = true
    fetchSession()
      .catch((e) => {
        if (!isApiError(e, 401)) signedOut({ key: 'idleLoggedOut', tone: 'warning' })
      })
      .finally(() => {
        expiring.current = false
      })
  }, [idle?.phase, signedOut])

  const keepWorking = useCallback(() => {
    fetchSession().catch(() => {
      // 401 → `ended`; a network error leaves the warning up, the countdown goes on
    })
  }, [])

  const logout = useCallback(async () => {
    try {
      await api.delete('/api/session')
    } catch (e) {
      if (isApiError(e, 401)) return // already ended; `ended` said why
    }
    signedOut({ key: 'loggedOut', tone: 'info' })
  }, [signedOut])

  // The role catalogue (labels, permissions), once the session may use more than itself.
  const step = session ? setupStep(session) : null
  const unrestricted = session !== null && step === null && recoveryCodes === null
  useEffect(() => {
    if (!unrestricted) return
    let live = true
    api
      .get<{ items: Role[] }>('/api/roles')
      .then((r) => live && setRoles(r.items))
      .catch(() => live && setRoles([]))
    return () => {
      live = false
    }
  }, [unrestricted, accountId])

  const permissions = useMemo(() => permissionsOf(session?.account.roles ?? [], roles ?? []), [session, roles])

  const notify = useCallback((text: Notice['text'], tone: Notice['tone'] = 'success', hash?: string) => {
    const target = hash ?? normalHash(location.hash)
    setNotice({ text, tone, hash: target })
    if (normalHash(location.hash) !== target) location.hash = target
  }, [])

  const ctx: AppContextValue = {
    t,
    lang,
    session,
    permissions,
    roles: roles ?? [],
    refreshSession,
    notify,
    notice,
  }

  // ---- what main shows ----
  let content: ReactNode
  let viewKey: string
  let showNav = false
  if (auth.kind === 'checking') {
    viewKey = 'checking'
    content = <Loader size="s" text={t.loading} />
  } else if (auth.kind === 'signedOut') {
    viewKey = 'login'
    const r = auth.reason
    const loginNotice = r ? { text: problemText(r.problem, lang) ?? t[r.key], tone: r.tone } : null
    content = <LoginPage notice={loginNotice} onSignedIn={(s) => setAuth({ kind: 'signedIn', session: s })} />
  } else if (recoveryCodes) {
    viewKey = 'recovery'
    content = (
      <RecoveryCodesPage
        codes={recoveryCodes}
        onSaved={async () => {
          try {
            const s = await fetchSession()
            // both at once, so the enrolment page is never shown again in between
            setAuth({ kind: 'signedIn', session: s })
            setRecoveryCodes(null)
          } catch {
            // 401 → `ended`
          }
        }}
      />
    )
  } else if (step === 'password') {
    viewKey = 'setup-password'
    content = <PasswordPage forced onChanged={refreshSession} />
  } else if (step === 'mfa') {
    viewKey = 'setup-mfa'
    content = <MfaPage onConfirmed={setRecoveryCodes} />
  } else {
    showNav = true
    viewKey = viewKeyOf(route)
    content = <RoutePage route={route} permissions={permissions} rolesLoaded={roles !== null} />
  }

  // After a change of page, move focus to the main area so keyboard and screen reader users
  // start reading the new page (not on the first load, where the skip link must stay the first
  // Tab stop).
  const previousView = useRef<string | null>(null)
  useEffect(() => {
    const previous = previousView.current
    previousView.current = viewKey
    if (previous === null || previous === 'checking') return // the first page of this load
    mainRef.current?.focus()
  }, [viewKey])

  return (
    // smarthr-ui's own texts (buttons, loaders) follow the same language.
    <IntlProvider locale={lang === 'ja' ? 'ja' : 'en_us'}>
      <AppContext.Provider value={ctx}>
        <a className="skip-link" href="#main" onClick={skipToMain}>
          {t.skipToMain}
        </a>
        <div className={showNav ? 'shell' : 'shell shell--bare'}>
          <header className="shell-header">
            <a className="brand" href="#/dashboard">
              <span className="brand-name">{t.productName}</span>
              <span className="brand-tagline">{t.productTagline}</span>
            </a>
            <div className="header-tools">
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
              {session && (
                <div className="user-area">
                  <span className="user-login">
                    <span className="user-login-label">{t.signedInAs}</span>
                    <span className="user-login-name">{session.account.login}</span>
                  </span>
                  {unrestricted && (
                    <a className="header-link" href="#/password">
                      {t.navPassword}
                    </a>
                  )}
                  <Button size="s" onClick={logout} className="logout-button">
                    {t.logout}
                  </Button>
                </div>
              )}
            </div>
          </header>
          {showNav && <Navigation route={route} permissions={permissions} />}
          {/* tabIndex=-1: focus target for the skip link and after navigation */}
          <main id="main" className="shell-main" tabIndex={-1} ref={mainRef}>
            {content}
          </main>
        </div>
        {session && idle?.phase === 'warning' && <IdleWarning secondsLeft={idle.secondsLeft} onContinue={keepWorking} onLogout={logout} />}
      </AppContext.Provider>
    </IntlProvider>
  )
}

function Navigation({ route, permissions }: { route: Route; permissions: Set<string> }) {
  const { t } = useApp()
  const admin = ADMIN_NAV.filter((n) => permissions.has(n.permission))
  return (
    <nav className="shell-nav" aria-label={t.navLabel}>
      <ul>
        {MAIN_NAV.map((n) => (
          <li key={n.page}>
            <a href={n.href} aria-current={n.page === sectionOf(route.page) ? 'page' : undefined}>
              {t[n.label]}
            </a>
          </li>
        ))}
      </ul>
      {admin.length > 0 && (
        <div className="nav-group">
          <p className="nav-group-label" id="nav-admin">
            {t.navAdmin}
          </p>
          <ul aria-labelledby="nav-admin">
            {admin.map((n) => (
              <li key={n.page}>
                <a href={n.href} aria-current={(n.section as readonly string[]).includes(route.page) ? 'page' : undefined}>
                  {t[n.label]}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </nav>
  )
}

function RoutePage({ route, permissions, rolesLoaded }: { route: Route; permissions: Set<string>; rolesLoaded: boolean }) {
  const { t } = useApp()
  const needed = permissionFor(route.page)
  if (needed && !permissions.has(needed)) {
    if (!rolesLoaded) return <Loader size="s" text={t.loading} />
    const title = route.page === 'accounts' ? t.navAccounts : route.page === 'duties' ? t.navDuties : t.navPeople
    return <ForbiddenPage title={title} />
  }
  switch (route.page) {
    case 'dashboard':
      return <DashboardPage />
    case 'approvals':
      return <ApprovalsPage />
    case 'approval':
      return <ApprovalPage key={route.id} id={route.id} />
    case 'approvalNew':
      return <NewRequestPage />
    case 'duties':
      return <DutiesPage query={route.query} />
    case 'password':
      return <PasswordPage forced={false} onChanged={() => undefined} />
    case 'people':
      return <PeoplePage />
    case 'personNew':
      return <PersonFormPage />
    case 'personEdit':
      return <PersonFormPage key={route.id} id={route.id} />
    case 'accounts':
      return <AccountsPage />
    case 'ledgers':
      return <LedgersPage />
    case 'ledger':
      return <LedgerListPage key={route.name} name={route.name} query={route.query} />
    case 'ledgerNew':
      return <LedgerRecordPage key={`${route.name}/new`} name={route.name} />
    case 'ledgerRecord':
      return <LedgerRecordPage key={`${route.name}/${route.id}`} name={route.name} id={route.id} />
    case 'ledgerImport':
      return <LedgerImportPage key={route.name} name={route.name} />
    case 'mynumber':
      return <MyNumberPage key={route.view} view={route.view} query={route.query} />
    case 'mynumberSubject':
      return <SubjectPage key={route.id} id={route.id} />
    default:
      // every page of the navigation has its view now; an unknown one says 準備中
      return <ComingSoonPage title={t.navDashboard} />
  }
}

// The skip link targets #main, but a hash link would change the route; move
// focus by hand instead.
function skipToMain(e: React.MouseEvent) {
  e.preventDefault()
  document.getElementById('main')?.focus()
}
