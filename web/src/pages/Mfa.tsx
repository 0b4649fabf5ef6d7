// Enrolling the second factor (TOTP), then the recovery codes, shown once.
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { Base, Button, Cluster, FormControl, Heading, Input, Loader, Section, Stack, Text } from 'smarthr-ui'
import { api, isApiError } from '../api'
import { CopyButton, errorMessage, FormErrorSummary, LoadError, Page, useFocusFirstInvalid } from '../components'
import { useApp } from '../context'
import { fieldErrors, groupSecret, normaliseCode, svgDataUri, type FieldErrors } from '../forms'

type Enrolment = { secret: string; otpauth_uri: string; qr_svg: string }

const ORDER = ['code'] as const
const idOf = (f: string) => `mfa-${f}`

export function MfaPage({ onConfirmed }: { onConfirmed: (recoveryCodes: string[]) => void }) {
  const { t, lang } = useApp()
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null)
  const [loadError, setLoadError] = useState<unknown>(null)
  const [code, setCode] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [busy, setBusy] = useState(false)
  const started = useRef(false)
  useFocusFirstInvalid(attempt, errors, ORDER, idOf, 'mfa-errors')

  const start = () => {
    setLoadError(null)
    api
      .post<Enrolment>('/api/session/mfa', {})
      .then(setEnrolment)
      .catch((e) => setLoadError(e))
  }
  // Start once (a second start would make a new secret).
  useEffect(() => {
    if (started.current) return
    started.current = true
    start()
  }, [])

  const fail = (e: FieldErrors) => {
    setErrors(e)
    setAttempt((n) => n + 1)
  }

  const submit = async (ev: FormEvent) => {
    ev.preventDefault()
    if (busy) return
    if (code.trim() === '') return fail({ code: [t.requiredField] })
    setBusy(true)
    try {
      const r = await api.post<{ recovery_codes: string[] }>('/api/session/mfa/confirm', { code: normaliseCode(code) })
      onConfirmed(r.recovery_codes)
    } catch (e) {
      setBusy(false)
      setCode('')
      if (isApiError(e, 422)) {
        const fe = fieldErrors(e, lang, ORDER)
        fail(Object.keys(fe).length ? fe : { code: [errorMessage(e, t, lang)] })
      } else fail({ '': [errorMessage(e, t, lang)] })
    }
  }

  return (
    <Page title={t.mfaHeading}>
      <Base padding={1.5} className="card">
        <Stack gap={1.5}>
          <Text as="p">{t.mfaLead}</Text>
          {loadError !== null ? (
            <LoadError error={loadError} retry={start} />
          ) : !enrolment ? (
            <Loader size="s" text={t.mfaPreparing} />
          ) : (
            <>
              <Section>
                <Stack gap={0.75}>
                  <Heading type="blockTitle">{t.mfaStepScan}</Heading>
                  <img className="mfa-qr" src={svgDataUri(enrolment.qr_svg)} alt={t.mfaQrAlt} width={200} height={200} />
                  <Text as="p" size="S">
                    {t.mfaManual}
                  </Text>
                  <Cluster align="center" gap={0.75}>
                    <span className="mfa-secret-label">{t.mfaSecret}</span>
                    <code className="mfa-secret">
                      {groupSecret(enrolment.secret)}
                    </code>
                    <CopyButton text={enrolment.secret} />
                  </Cluster>
                </Stack>
              </Section>
              <Section>
                <form onSubmit={submit} noValidate aria-label={t.mfaHeading}>
                  <Stack gap={1}>
                    <Heading type="blockTitle">{t.mfaStepCode}</Heading>
                    <FormErrorSummary id="mfa-errors" messages={errors['']} />
                    <FormControl label={{ text: t.mfaCode, htmlFor: idOf('code') }} errorMessages={errors.code}>
                      <Input
                        id={idOf('code')}
                        inputMode="numeric"
                        autoComplete="one-time-code"
                        maxLength={8}
                        value={code}
                        onChange={(e) => setCode(e.target.value)}
                        width="10em"
                      />
                    </FormControl>
                    <div>
                      <Button type="submit" variant="primary" loading={busy}>
                        {t.mfaConfirm}
                      </Button>
                    </div>
                  </Stack>
                </form>
              </Section>
            </>
          )}
        </Stack>
      </Base>
    </Page>
  )
}

export function RecoveryCodesPage({ codes, onSaved }: { codes: string[]; onSaved: () => void }) {
  const { t } = useApp()
  return (
    <Page title={t.recoveryHeading}>
      <Base padding={1.5} className="card recovery">
        <Stack gap={1.25}>
          <Text as="p">{t.recoveryLead}</Text>
          <ol className="recovery-codes" aria-label={t.recoveryListLabel}>
            {codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ol>
          <Cluster gap={0.75} align="center" className="no-print">
            <Button size="s" onClick={() => print()}>
              {t.print}
            </Button>
            <CopyButton text={codes.join('\n')} />
          </Cluster>
          <div className="no-print">
            <Button variant="primary" onClick={onSaved}>
              {t.recoverySaved}
            </Button>
          </div>
        </Stack>
      </Base>
    </Page>
  )
}
