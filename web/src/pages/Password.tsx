// Changing the own password: forced after a one-time password, or by choice from the header.
// Each rule of the account's class is shown with a live ✓/✗ as the person types (the server
// checks; nothing is judged in the browser but the confirmation).
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { Base, Button, FormControl, Heading, Input, Section, Stack, Text } from 'smarthr-ui'
import { api, isApiError } from '../api'
import type { PasswordRuleCheck } from '../auth'
import { errorMessage, FormErrorSummary, Page, useFocusFirstInvalid } from '../components'
import { useApp } from '../context'
import { errorText, fieldErrors, ruleRows, type FieldErrors } from '../forms'
import { fmt } from '../i18n'

const ORDER = ['current_password', 'new_password', 'confirm'] as const
const idOf = (f: string) => `pw-${f}`
const CHECK_DELAY_MS = 250

/** The server's verdict on a candidate password, fetched ~250 ms after the last keystroke. */
function usePasswordCheck(password: string): PasswordRuleCheck[] | null {
  const [result, setResult] = useState<{ for: string; rules: PasswordRuleCheck[] } | null>(null)
  const seq = useRef(0)
  useEffect(() => {
    if (password === '') return
    const mine = ++seq.current
    const timer = setTimeout(() => {
      api
        .post<{ rules: PasswordRuleCheck[] }>('/api/session/password/check', { password })
        .then((r) => {
          if (mine === seq.current) setResult({ for: password, rules: r.rules })
        })
        .catch(() => {
          // the rules stay as they were; the submit will say what is wrong
        })
    }, CHECK_DELAY_MS)
    return () => clearTimeout(timer)
  }, [password])
  if (password === '') return null
  return result?.rules ?? null
}

export function PasswordPage({ forced, onChanged }: { forced: boolean; onChanged: () => void }) {
  const { t, lang, session, notify } = useApp()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [busy, setBusy] = useState(false)
  const checked = usePasswordCheck(next)
  // Rows for the password typed now; a result for an older text is still shown while the next
  // check is on its way (no flicker), and the list is marked busy meanwhile.
  const rows = ruleRows(session?.password_rules ?? [], checked)
  useFocusFirstInvalid(attempt, errors, ORDER, idOf, 'pw-errors')

  const fail = (e: FieldErrors) => {
    setErrors(e)
    setAttempt((n) => n + 1)
  }

  const submit = async (ev: FormEvent) => {
    ev.preventDefault()
    if (busy) return
    const local: FieldErrors = {}
    if (current === '') local.current_password = [t.requiredField]
    if (next === '') local.new_password = [t.requiredField]
    if (confirm !== next) local.confirm = [t.passwordMismatch]
    if (Object.keys(local).length > 0) return fail(local)
    setBusy(true)
    try {
      await api.post('/api/session/password', { current_password: current, new_password: next })
      setCurrent('')
      setNext('')
      setConfirm('')
      setErrors({})
      if (!forced) notify((t) => t.passwordChanged, 'success')
      onChanged()
    } catch (e) {
      if (isApiError(e, 422)) {
        // A broken rule comes as the rule's own text ("12文字以上"): say that it is not met.
        const fe = fieldErrors(e, lang, ORDER)
        const ruleIds = new Set(rows.map((r) => r.rule).concat('history'))
        const broken = (e.problem.errors ?? []).filter((x) => x.field === 'new_password' && x.rule && ruleIds.has(x.rule))
        if (broken.length) fe.new_password = broken.map((x) => fmt(t.passwordRuleBroken, { rule: errorText(x, lang) }))
        fail(fe)
      }
      else fail({ '': [errorMessage(e, t, lang)] })
    } finally {
      setBusy(false)
    }
  }

  return (
    <Page title={t.passwordHeading}>
      <Base padding={1.5} className="card">
        <form onSubmit={submit} noValidate aria-label={t.passwordHeading}>
          <Stack gap={1.25}>
            {forced && <Text as="p">{t.passwordForcedLead}</Text>}
            <FormErrorSummary id="pw-errors" messages={errors['']} />
            {/* The login, for password managers that file the new password under it. */}
            <input type="text" name="username" autoComplete="username" value={session?.account.login ?? ''} readOnly hidden />
            <FormControl
              label={{ text: t.currentPassword, htmlFor: idOf('current_password') }}
              helpMessage={forced ? t.currentPasswordForcedHelp : undefined}
              errorMessages={errors.current_password}
            >
              <Input
                id={idOf('current_password')}
                type="password"
                autoComplete="current-password"
                value={current}
                onChange={(e) => setCurrent(e.target.value)}
                width="24em"
              />
            </FormControl>
            <FormControl label={{ text: t.newPassword, htmlFor: idOf('new_password') }} errorMessages={errors.new_password}>
              <Input
                id={idOf('new_password')}
                type="password"
                autoComplete="new-password"
                value={next}
                onChange={(e) => {
                  setNext(e.target.value)
                  if (errors.new_password) setErrors(({ new_password: _, ...rest }) => rest)
                }}
                width="24em"
                aria-describedby="pw-rules"
              />
            </FormControl>
            <Section className="password-rules" id="pw-rules" aria-busy={next !== '' && checked === null}>
              <Stack gap={0.5}>
                <Heading type="subBlockTitle">{t.rulesHeading}</Heading>
                <ul className="rule-list">
                  {rows.map((r) => (
                    <li key={r.rule} className="rule" data-rule={r.rule} data-met={r.met === null ? 'unknown' : String(r.met)}>
                      <span className="rule-mark" aria-hidden="true">
                        {r.met === null ? '・' : r.met ? '✓' : '✗'}
                      </span>
                      <span className="rule-text">{lang === 'ja' ? r.text : r.text_en}</span>
                      <span className="visually-hidden">
                        {'（'}
                        {r.met === null ? t.ruleUnchecked : r.met ? t.ruleMet : t.ruleUnmet}
                        {'）'}
                      </span>
                    </li>
                  ))}
                </ul>
              </Stack>
            </Section>
            <FormControl
              label={{ text: t.confirmPassword, htmlFor: idOf('confirm') }}
              helpMessage={t.confirmPasswordHelp}
              errorMessages={errors.confirm}
            >
              <Input
                id={idOf('confirm')}
                type="password"
                autoComplete="new-password"
                value={confirm}
                onChange={(e) => {
                  setConfirm(e.target.value)
                  if (errors.confirm) setErrors(({ confirm: _, ...rest }) => rest)
                }}
                width="24em"
              />
            </FormControl>
            <div>
              <Button type="submit" variant="primary" loading={busy}>
                {t.passwordSubmit}
              </Button>
            </div>
          </Stack>
        </form>
      </Base>
    </Page>
  )
}
