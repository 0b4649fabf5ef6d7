// Sign in: login and password; then, for a privileged account, the authenticator code (or a
// recovery code). One generic message for wrong credentials, whatever the reason.
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { Base, Button, FormControl, Input, NotificationBar, PageHeading, Stack, Text } from 'smarthr-ui'
import { api, isApiError, setCsrf } from '../api'
import { problemText, type Session } from '../auth'
import { errorMessage, FormErrorSummary, useFocusFirstInvalid } from '../components'
import { useApp } from '../context'
import { normaliseCode, type FieldErrors } from '../forms'

export type LoginNotice = { text: string; tone: 'info' | 'warning' }

const ORDER = ['login', 'password', 'totp'] as const
const idOf = (f: string) => `login-${f}`

export function LoginPage({ notice, onSignedIn }: { notice: LoginNotice | null; onSignedIn: (s: Session) => void }) {
  const { t, lang } = useApp()
  const [login, setLogin] = useState('')
  const [password, setPassword] = useState('')
  const [totp, setTotp] = useState('')
  const [needTotp, setNeedTotp] = useState(false)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [busy, setBusy] = useState(false)
  const [attempt, setAttempt] = useState(0)
  const totpRef = useRef<HTMLInputElement>(null)
  useFocusFirstInvalid(attempt, errors, ORDER, idOf, 'login-errors')

  // When the code is asked for, the next thing to do is typing it.
  useEffect(() => {
    if (needTotp) totpRef.current?.focus()
  }, [needTotp])

  const fail = (e: FieldErrors) => {
    setErrors(e)
    setAttempt((n) => n + 1)
  }

  const submit = async (ev: FormEvent) => {
    ev.preventDefault()
    if (busy) return
    const missing: FieldErrors = {}
    if (login.trim() === '') missing.login = [t.requiredField]
    if (password === '') missing.password = [t.requiredField]
    if (needTotp && totp.trim() === '') missing.totp = [t.requiredField]
    if (Object.keys(missing).length > 0) return fail(missing)
    setBusy(true)
    try {
      const body: Record<string, string> = { login: login.trim(), password }
      if (needTotp) body.totp = normaliseCode(totp)
      const s = await api.post<Session>('/api/session', body, { signIn: true })
      setCsrf(s.csrf_token ?? null)
      setPassword('')
      setTotp('')
      onSignedIn(s)
    } catch (e) {
      setBusy(false)
      if (isApiError(e, 401, 'mfa_required')) {
        setErrors({})
        if (needTotp) fail({ totp: [problemText(e.problem, lang) ?? t.totpHelp] })
        else setNeedTotp(true)
      } else if (isApiError(e, 401, 'mfa_invalid')) {
        setTotp('')
        fail({ totp: [problemText(e.problem, lang) ?? t.loginFailed] })
      } else if (isApiError(e, 401)) {
        // One message whatever was wrong (login, password, lockout): nothing to guess from.
        setPassword('')
        setTotp('')
        setNeedTotp(false)
        fail({ '': [problemText(e.problem, lang) ?? t.loginFailed] })
      } else {
        fail({ '': [errorMessage(e, t, lang)] })
      }
      return
    }
  }

  return (
    <div className="login">
      <Base padding={2} className="login-card">
        <Stack gap={1.5}>
          <PageHeading autoPageTitle={false}>{t.loginHeading}</PageHeading>
          {notice && (
            <NotificationBar type={notice.tone} className="login-notice">
              {notice.text}
            </NotificationBar>
          )}
          <Text as="p">{t.loginLead}</Text>
          <form onSubmit={submit} noValidate aria-label={t.loginHeading}>
            <Stack gap={1.25}>
              <FormErrorSummary id="login-errors" messages={errors['']} />
              <FormControl label={{ text: t.loginName, htmlFor: idOf('login') }} errorMessages={errors.login}>
                <Input
                  id={idOf('login')}
                  name="username"
                  autoComplete="username"
                  autoCapitalize="none"
                  spellCheck={false}
                  value={login}
                  onChange={(e) => setLogin(e.target.value)}
                  width="100%"
                  readOnly={needTotp}
                />
              </FormControl>
              <FormControl label={{ text: t.password, htmlFor: idOf('password') }} errorMessages={errors.password}>
                <Input
                  id={idOf('password')}
                  type="password"
                  name="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  width="100%"
                  readOnly={needTotp}
                />
              </FormControl>
              {needTotp && (
                <FormControl
                  label={{ text: t.totp, htmlFor: idOf('totp') }}
                  helpMessage={t.totpHelp}
                  errorMessages={errors.totp}
                >
                  <Input
                    id={idOf('totp')}
                    ref={totpRef}
                    name="totp"
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    autoCapitalize="none"
                    spellCheck={false}
                    value={totp}
                    onChange={(e) => setTotp(e.target.value)}
                    width="12em"
                  />
                </FormControl>
              )}
              <div>
                <Button type="submit" variant="primary" loading={busy} wide>
                  {t.loginSubmit}
                </Button>
              </div>
            </Stack>
          </form>
        </Stack>
      </Base>
    </div>
  )
}
