// マイナンバー: the manager's pages (deletion approvals, handler scopes, IT-staff grants, numbers received
// by mistake, the monthly access report) and the books several roles read (the 取扱記録簿; requests from
// individuals, recorded and decided by the handlers). docs/internals/vault.md is the API; none of these
// answers ever carries a number.
import { useEffect, useMemo, useState, type FormEvent } from 'react'
import {
  ActionDialog,
  Base,
  Button,
  Checkbox,
  Cluster,
  FormControl,
  FormDialog,
  Heading,
  Input,
  Loader,
  RequiredLabel,
  Section,
  Select,
  Stack,
  StatusLabel,
  Table,
  TableReel,
  Td,
  Text,
  Textarea,
  TextLink,
  Th,
} from 'smarthr-ui'
import { api, isApiError } from '../api'
import type { Account } from '../auth'
import { errorMessage, FormErrorSummary, LoadError, useFocusFirstInvalid } from '../components'
import { useApp } from '../context'
import { fieldErrors, type FieldErrors } from '../forms'
import { fmt, type MessageKey, type Messages } from '../i18n'
import { isMonth, monthOf, previousMonth, purposeLabel } from '../mynumber'
import { localInputToUtc } from '../registers'
import { useGet } from './Ledgers'
import { itemsOf, kindText, MyNumberFrame, useAbilities, usePurposes, whenText } from './MyNumberCommon'

type Status = { status: 'processing' } | { status: 'error'; text: string } | undefined

/** A refusal or failure of a dialog's call: the field errors next to their fields, the rest in the dialog. */
function dialogFailure(e: unknown, t: Messages, lang: 'ja' | 'en', known: readonly string[]): { errors: FieldErrors; status: Status } {
  const fe = isApiError(e, 422) ? fieldErrors(e, lang, known) : {}
  const other = fe['']
  delete fe['']
  if (Object.keys(fe).length > 0 && !other) return { errors: fe, status: undefined }
  return { errors: fe, status: { status: 'error', text: other?.join(' ') ?? errorMessage(e, t, lang) } }
}

// ---- 削除の承認 ----

type QueueRequest = { id: number; subject_id: number; name: string; reason: string; requested_by: string; requested_at: string; approval_id?: number }
type QueueDue = { id: number; kind: string; name: string; retention_end: string }

export function QueueView() {
  const { t, notify } = useApp()
  const { data, error, reload } = useGet<{ due: QueueDue[]; requests: QueueRequest[] }>('/api/mynumber/deletion-queue')
  const [deciding, setDeciding] = useState<{ request: QueueRequest; decision: 'approved' | 'rejected' } | null>(null)
  return (
    <MyNumberFrame view="queue" title={t.mnQueueHeading}>
      <Text as="p">{t.mnQueueLead}</Text>
      {error !== null ? (
        <LoadError error={error} retry={reload} />
      ) : data === null ? (
        <Loader size="s" text={t.loading} />
      ) : (
        <>
          <Section>
            <Stack gap={0.75}>
              <Heading>{t.mnQueueRequests}</Heading>
              {(data.requests ?? []).length === 0 ? (
                <Text as="p">{t.mnQueueRequestsEmpty}</Text>
              ) : (
                <Base className="table-base">
                  <TableReel>
                    <Table className="data-table mn-queue" aria-label={t.mnQueueRequests}>
                      <thead>
                        <tr>
                          <Th>{t.mnSubject}</Th>
                          <Th>{t.mnReason}</Th>
                          <Th>{t.mnRequestedBy}</Th>
                          <Th>{t.mnRequestedAt}</Th>
                          <Th>{t.actions}</Th>
                        </tr>
                      </thead>
                      <tbody>
                        {data.requests.map((r) => (
                          <tr key={r.id} data-deletion={r.id} data-subject={r.subject_id}>
                            <Td className="nowrap">
                              <TextLink href={`#/mynumber/subjects/${r.subject_id}`}>{`${r.subject_id}　${r.name}`}</TextLink>
                            </Td>
                            <Td>
                              {r.reason}
                              {r.approval_id ? (
                                <>
                                  {'（'}
                                  <TextLink href={`#/approvals/${r.approval_id}`}>{fmt(t.apHeading, { id: r.approval_id })}</TextLink>
                                  {'）'}
                                </>
                              ) : null}
                            </Td>
                            <Td className="nowrap">{r.requested_by}</Td>
                            <Td className="nowrap">{whenText(r.requested_at)}</Td>
                            <Td className="nowrap">
                              <Cluster gap={0.5}>
                                <Button size="s" variant="primary" onClick={() => setDeciding({ request: r, decision: 'approved' })}>
                                  {t.mnApprove}
                                  <span className="visually-hidden">{`（${r.name}）`}</span>
                                </Button>
                                <Button size="s" onClick={() => setDeciding({ request: r, decision: 'rejected' })}>
                                  {t.mnReject}
                                  <span className="visually-hidden">{`（${r.name}）`}</span>
                                </Button>
                              </Cluster>
                            </Td>
                          </tr>
                        ))}
                      </tbody>
                    </Table>
                  </TableReel>
                </Base>
              )}
            </Stack>
          </Section>
          <Section>
            <Stack gap={0.75}>
              <Heading>{t.mnQueueDue}</Heading>
              <Text as="p" size="S" color="TEXT_GREY">
                {t.mnQueueDueHelp}
              </Text>
              {(data.due ?? []).length === 0 ? (
                <Text as="p">{t.mnQueueDueEmpty}</Text>
              ) : (
                <Base className="table-base">
                  <TableReel>
                    <Table className="data-table mn-due" aria-label={t.mnQueueDue}>
                      <thead>
                        <tr>
                          <Th>{t.mnSubject}</Th>
                          <Th>{t.mnKind}</Th>
                          <Th>{t.mnRetentionEnd}</Th>
                        </tr>
                      </thead>
                      <tbody>
                        {data.due.map((s) => (
                          <tr key={s.id} data-subject={s.id}>
                            <Td className="nowrap">
                              <TextLink href={`#/mynumber/subjects/${s.id}`}>{`${s.id}　${s.name}`}</TextLink>
                            </Td>
                            <Td className="nowrap">{kindText(t, s.kind)}</Td>
                            <Td className="nowrap">{whenText(s.retention_end)}</Td>
                          </tr>
                        ))}
                      </tbody>
                    </Table>
                  </TableReel>
                </Base>
              )}
            </Stack>
          </Section>
        </>
      )}
      {deciding && (
        <DecisionDialog
          request={deciding.request}
          decision={deciding.decision}
          onClose={() => setDeciding(null)}
          onDone={() => {
            const approved = deciding.decision === 'approved'
            setDeciding(null)
            notify((t) => (approved ? t.mnApproved : t.mnRejected), 'success')
            reload()
          }}
        />
      )}
    </MyNumberFrame>
  )
}

function DecisionDialog({
  request,
  decision,
  onClose,
  onDone,
}: {
  request: QueueRequest
  decision: 'approved' | 'rejected'
  onClose: () => void
  onDone: () => void
}) {
  const { t, lang } = useApp()
  const [comment, setComment] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [status, setStatus] = useState<Status>()
  useFocusFirstInvalid(attempt, errors, ['comment'], () => 'mn-decision-comment')
  const approve = decision === 'approved'
  const submit = async () => {
    if (!approve && comment.trim() === '') {
      setErrors({ comment: [t.requiredField] })
      setAttempt((n) => n + 1)
      return
    }
    setStatus({ status: 'processing' })
    try {
      await api.post(`/api/mynumber/deletions/${request.id}/decision`, { decision, comment: comment.trim() })
      onDone()
    } catch (e) {
      const f = dialogFailure(e, t, lang, ['comment'])
      setErrors(f.errors)
      setStatus(f.status)
      setAttempt((n) => n + 1)
    }
  }
  return (
    <FormDialog
      isOpen
      size="M"
      title={approve ? t.mnApproveTitle : t.mnRejectTitle}
      actionText={approve ? t.mnApproveAction : t.mnRejectAction}
      actionTheme={approve ? 'danger' : 'primary'}
      responseStatus={status}
      decorators={{ closeButtonLabel: () => t.cancel }}
      onClickClose={onClose}
      onSubmit={submit}
    >
      <Stack gap={1}>
        <Text as="p">{fmt(approve ? t.mnApproveLead : t.mnRejectLead, { name: request.name, id: request.subject_id })}</Text>
        <Text as="p" size="S" color="TEXT_GREY">
          {t.mnReason}
          {t.labelSeparator}
          {request.reason}
        </Text>
        <FormControl
          label={{ text: t.mnComment, htmlFor: 'mn-decision-comment' }}
          statusLabels={approve ? undefined : <RequiredLabel />}
          helpMessage={approve ? t.mnCommentHelp : t.mnRejectCommentHelp}
          errorMessages={errors.comment}
        >
          <Textarea id="mn-decision-comment" value={comment} onChange={(e) => setComment(e.target.value)} maxLetters={400} rows={3} width="100%" />
        </FormControl>
      </Stack>
    </FormDialog>
  )
}

// ---- 担当者の範囲 ----

export function ScopesView() {
  const { t, lang, permissions, notify } = useApp()
  const canAccounts = permissions.has('accounts.read')
  const accounts = useGet<{ items: Account[] }>(canAccounts ? '/api/accounts' : null)
  const handlers = useMemo(() => (accounts.data?.items ?? []).filter((a) => a.roles.includes('mynumber_handler') && a.state !== 'disabled'), [accounts.data])
  const { purposes } = usePurposes()
  const [accountInput, setAccountInput] = useState('')
  const [accountId, setAccountId] = useState<number | null>(null)
  const scope = useGet<{ account_id: number; purposes: string[] }>(accountId === null ? null : `/api/mynumber/scopes/${accountId}`)
  const [chosen, setChosen] = useState<string[]>([])
  const [errors, setErrors] = useState<FieldErrors>({})
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    if (scope.data) setChosen(scope.data.purposes)
  }, [scope.data])
  const login = handlers.find((a) => a.id === accountId)?.login ?? (accountId !== null ? `#${accountId}` : '')

  const pick = (e: FormEvent) => {
    e.preventDefault()
    const n = Number(accountInput)
    if (!Number.isInteger(n) || n <= 0) {
      setErrors({ account: [t.mnScopeAccountIdInvalid] })
      document.getElementById('mn-scope-account')?.focus()
      return
    }
    setErrors({})
    setAccountId(n)
  }
  const save = async (e: FormEvent) => {
    e.preventDefault()
    if (accountId === null || busy) return
    setBusy(true)
    try {
      await api.put(`/api/mynumber/scopes/${accountId}`, { purposes: chosen })
      setErrors({})
      notify((t) => fmt(t.mnScopeSaved, { login }), 'success')
      scope.reload()
    } catch (err) {
      const fe = isApiError(err, 422) ? fieldErrors(err, lang, ['purposes']) : {}
      if (Object.keys(fe).length === 0) fe[''] = [errorMessage(err, t, lang)]
      setErrors(fe)
      document.getElementById(fe.purposes ? 'mn-scope-purposes' : 'mn-scope-errors')?.focus()
    } finally {
      setBusy(false)
    }
  }

  return (
    <MyNumberFrame view="scopes" title={t.mnScopesHeading}>
      <Text as="p">{t.mnScopesLead}</Text>
      <Base padding={1.5} className="card">
        <Stack gap={1.25}>
          {canAccounts ? (
            accounts.error !== null ? (
              <LoadError error={accounts.error} retry={accounts.reload} />
            ) : accounts.data === null ? (
              <Loader size="s" text={t.loading} />
            ) : (
              <FormControl
                label={{ text: t.mnScopeAccount, htmlFor: 'mn-scope-account' }}
                helpMessage={handlers.length === 0 ? t.mnScopeNoHandlers : undefined}
              >
                <Select
                  id="mn-scope-account"
                  value={accountId === null ? '' : String(accountId)}
                  onChangeValue={(v) => setAccountId(v === '' ? null : Number(v))}
                  hasBlank
                  decorators={{ blankLabel: () => t.selectBlank }}
                  options={handlers.map((a) => ({ value: String(a.id), label: a.person_name ? `${a.login}（${a.person_name}）` : a.login }))}
                />
              </FormControl>
            )
          ) : (
            <form onSubmit={pick} noValidate>
              <Cluster align="flex-end" gap={0.75}>
                <FormControl
                  label={{ text: t.mnScopeAccountId, htmlFor: 'mn-scope-account' }}
                  helpMessage={t.mnScopeAccountIdHelp}
                  errorMessages={errors.account}
                >
                  <Input
                    id="mn-scope-account"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    step={1}
                    value={accountInput}
                    onChange={(e) => setAccountInput(e.target.value)}
                    width="8em"
                  />
                </FormControl>
                <Button type="submit">{t.mnScopeShow}</Button>
              </Cluster>
            </form>
          )}
          {accountId !== null &&
            (scope.error !== null ? (
              isApiError(scope.error, 404) ? (
                <Text as="p">{t.mnScopeNoAccount}</Text>
              ) : (
                <LoadError error={scope.error} retry={scope.reload} />
              )
            ) : scope.data === null ? (
              <Loader size="s" text={t.loading} />
            ) : (
              <form onSubmit={save} noValidate aria-label={fmt(t.mnScopeOf, { login })}>
                <Stack gap={1}>
                  <FormErrorSummary id="mn-scope-errors" messages={errors['']} />
                  <fieldset className="mn-fieldset" aria-describedby={errors.purposes ? 'mn-scope-purposes-error' : undefined}>
                    <legend className="mn-legend">{fmt(t.mnScopeOf, { login })}</legend>
                    {errors.purposes && (
                      <p id="mn-scope-purposes-error" className="mn-field-error">
                        {errors.purposes.join(' ')}
                      </p>
                    )}
                    <div className="mn-purposes">
                      {(purposes ?? []).map((p, i) => (
                        <Checkbox
                          key={p.code}
                          id={i === 0 ? 'mn-scope-purposes' : `mn-scope-purposes-${p.code}`}
                          name="purposes"
                          value={p.code}
                          checked={chosen.includes(p.code)}
                          onChange={(e) => {
                            const on = e.target.checked
                            setChosen((c) => (on ? [...c.filter((x) => x !== p.code), p.code] : c.filter((x) => x !== p.code)))
                          }}
                        >
                          {purposeLabel(p.code, purposes ?? [], lang)}
                        </Checkbox>
                      ))}
                    </div>
                  </fieldset>
                  <div>
                    <Button type="submit" variant="primary" loading={busy}>
                      {t.save}
                    </Button>
                  </div>
                </Stack>
              </form>
            ))}
        </Stack>
      </Base>
    </MyNumberFrame>
  )
}

// ---- IT担当者の許可 ----

type Grant = { id: number; login: string; reason: string; starts_at: string; ends_at: string; granted_by: string; granted_at: string; revoked_at: string | null }

/** A grant starts when it is made (the server's time), so only its end and a revocation matter here. */
function grantState(g: Grant, now: number): { label: MessageKey; type: 'green' | 'grey' } {
  if (g.revoked_at) return { label: 'mnGrantRevokedState', type: 'grey' }
  if (Date.parse(g.ends_at) <= now) return { label: 'mnGrantExpired', type: 'grey' }
  return { label: 'mnGrantActive', type: 'green' }
}

const GRANT_ORDER = ['login', 'reason', 'ends_at']
const grantId = (f: string) => `mn-grant-${f}`

export function GrantsView() {
  const { t, lang, notify } = useApp()
  const list = useGet<{ items: Grant[] }>('/api/mynumber/grants')
  const [login, setLogin] = useState('')
  const [reason, setReason] = useState('')
  const [until, setUntil] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [busy, setBusy] = useState(false)
  const [revoking, setRevoking] = useState<Grant | null>(null)
  useFocusFirstInvalid(attempt, errors, GRANT_ORDER, grantId, 'mn-grant-errors')
  const now = Date.now()

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy) return
    const local: FieldErrors = {}
    if (login.trim() === '') local.login = [t.requiredField]
    if (reason.trim() === '') local.reason = [t.requiredField]
    const endsAt = localInputToUtc(until)
    if (endsAt === '') local.ends_at = [t.requiredField]
    if (Object.keys(local).length) {
      setErrors(local)
      setAttempt((n) => n + 1)
      return
    }
    setBusy(true)
    try {
      await api.post('/api/mynumber/grants', { login: login.trim(), reason: reason.trim(), ends_at: endsAt })
      const who = login.trim()
      setLogin('')
      setReason('')
      setUntil('')
      setErrors({})
      notify((t) => fmt(t.mnGrantAdded, { login: who }), 'success')
      list.reload()
    } catch (err) {
      const fe = isApiError(err, 422) ? fieldErrors(err, lang, GRANT_ORDER) : {}
      if (Object.keys(fe).length === 0) fe[''] = [errorMessage(err, t, lang)]
      setErrors(fe)
      setAttempt((n) => n + 1)
    } finally {
      setBusy(false)
    }
  }

  return (
    <MyNumberFrame view="grants" title={t.mnGrantsHeading}>
      <Text as="p">{t.mnGrantsLead}</Text>
      <Base padding={1.5} className="card">
        <form onSubmit={submit} noValidate aria-labelledby="mn-grant-form-heading">
          <Stack gap={1.25}>
            <Heading id="mn-grant-form-heading">{t.mnGrantAddHeading}</Heading>
            <FormErrorSummary id="mn-grant-errors" messages={errors['']} />
            <FormControl label={{ text: t.login, htmlFor: grantId('login') }} statusLabels={<RequiredLabel />} helpMessage={t.mnGrantLoginHelp} errorMessages={errors.login}>
              <Input
                id={grantId('login')}
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                value={login}
                onChange={(e) => setLogin(e.target.value)}
                width="16em"
              />
            </FormControl>
            <FormControl label={{ text: t.mnGrantReason, htmlFor: grantId('reason') }} statusLabels={<RequiredLabel />} errorMessages={errors.reason}>
              <Textarea id={grantId('reason')} value={reason} onChange={(e) => setReason(e.target.value)} maxLetters={400} rows={2} width="100%" />
            </FormControl>
            <FormControl label={{ text: t.mnGrantUntil, htmlFor: grantId('ends_at') }} statusLabels={<RequiredLabel />} helpMessage={t.mnGrantUntilHelp} errorMessages={errors.ends_at}>
              <Input id={grantId('ends_at')} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} width="16em" />
            </FormControl>
            <div>
              <Button type="submit" variant="primary" loading={busy}>
                {t.mnGrantAdd}
              </Button>
            </div>
          </Stack>
        </form>
      </Base>
      <Section>
        <Stack gap={0.75}>
          <Heading>{t.mnGrantsList}</Heading>
          {list.error !== null ? (
            <LoadError error={list.error} retry={list.reload} />
          ) : list.data === null ? (
            <Loader size="s" text={t.loading} />
          ) : itemsOf(list.data).length === 0 ? (
            <Text as="p">{t.mnGrantsEmpty}</Text>
          ) : (
            <Base className="table-base">
              <TableReel>
                <Table className="data-table mn-grants" aria-label={t.mnGrantsList}>
                  <thead>
                    <tr>
                      <Th>{t.login}</Th>
                      <Th>{t.mnGrantReason}</Th>
                      <Th>{t.mnGrantStarts}</Th>
                      <Th>{t.mnGrantUntil}</Th>
                      <Th>{t.mnGrantBy}</Th>
                      <Th>{t.state}</Th>
                      <Th>{t.actions}</Th>
                    </tr>
                  </thead>
                  <tbody>
                    {itemsOf(list.data).map((g) => {
                      const st = grantState(g, now)
                      return (
                        <tr key={g.id} data-grant={g.id}>
                          <Td className="nowrap mono">{g.login}</Td>
                          <Td>{g.reason}</Td>
                          <Td className="nowrap">{whenText(g.starts_at)}</Td>
                          <Td className="nowrap">{whenText(g.ends_at)}</Td>
                          <Td className="nowrap">{g.granted_by}</Td>
                          <Td className="nowrap">
                            <StatusLabel type={st.type}>{t[st.label]}</StatusLabel>
                          </Td>
                          <Td className="nowrap">
                            {st.label === 'mnGrantActive' ? (
                              <Button size="s" onClick={() => setRevoking(g)}>
                                {t.mnGrantRevoke}
                                <span className="visually-hidden">{`（${g.login}）`}</span>
                              </Button>
                            ) : (
                              '—'
                            )}
                          </Td>
                        </tr>
                      )
                    })}
                  </tbody>
                </Table>
              </TableReel>
            </Base>
          )}
        </Stack>
      </Section>
      {revoking && (
        <ConfirmDialog
          title={t.mnGrantRevokeTitle}
          body={fmt(t.mnGrantRevokeBody, { login: revoking.login })}
          actionText={t.mnGrantRevoke}
          run={() => api.post(`/api/mynumber/grants/${revoking.id}/revoke`, {})}
          onClose={() => setRevoking(null)}
          onDone={() => {
            setRevoking(null)
            notify((t) => t.mnGrantRevoked, 'success')
            list.reload()
          }}
        />
      )}
    </MyNumberFrame>
  )
}

function ConfirmDialog({ title, body, actionText, run, onDone, onClose }: { title: string; body: string; actionText: string; run: () => Promise<unknown>; onDone: () => void; onClose: () => void }) {
  const { t, lang } = useApp()
  const [status, setStatus] = useState<Status>()
  return (
    <ActionDialog
      isOpen
      title={title}
      actionText={actionText}
      actionTheme="danger"
      responseStatus={status}
      decorators={{ closeButtonLabel: () => t.cancel }}
      onClickClose={onClose}
      onClickAction={async () => {
        setStatus({ status: 'processing' })
        try {
          await run()
          onDone()
        } catch (e) {
          setStatus({ status: 'error', text: errorMessage(e, t, lang) })
        }
      }}
    >
      <Text as="p">{body}</Text>
    </ActionDialog>
  )
}

// ---- 誤受領の報告 (the manager's list) ----

type Mistake = { id: number; reported_by: string; reported_at: string; description: string; state: 'open' | 'resolved'; resolved_by: string | null; resolved_at: string | null; action: string | null }

export function MistakesView() {
  const { t, notify } = useApp()
  const list = useGet<{ items: Mistake[] }>('/api/mynumber/mistakes')
  const [resolving, setResolving] = useState<Mistake | null>(null)
  return (
    <MyNumberFrame view="mistakes" title={t.mnMistakesHeading}>
      <Text as="p">{t.mnMistakesLead}</Text>
      {list.error !== null ? (
        <LoadError error={list.error} retry={list.reload} />
      ) : list.data === null ? (
        <Loader size="s" text={t.loading} />
      ) : itemsOf(list.data).length === 0 ? (
        <Text as="p">{t.mnMistakesEmpty}</Text>
      ) : (
        <Base className="table-base">
          <TableReel>
            <Table className="data-table mn-mistakes" aria-label={t.mnMistakesHeading}>
              <thead>
                <tr>
                  <Th>{t.mnReportedAt}</Th>
                  <Th>{t.mnReportedBy}</Th>
                  <Th>{t.mnMistakeDescription}</Th>
                  <Th>{t.state}</Th>
                  <Th>{t.mnResolution}</Th>
                  <Th>{t.actions}</Th>
                </tr>
              </thead>
              <tbody>
                {itemsOf(list.data).map((m) => (
                  <tr key={m.id} data-mistake={m.id} data-state={m.state}>
                    <Td className="nowrap">{whenText(m.reported_at)}</Td>
                    <Td className="nowrap">{m.reported_by}</Td>
                    <Td className="pre-wrap">{m.description}</Td>
                    <Td className="nowrap">
                      <StatusLabel type={m.state === 'open' ? 'warning' : 'grey'}>{m.state === 'open' ? t.mnMistakeOpen : t.mnMistakeResolved}</StatusLabel>
                    </Td>
                    <Td>{m.state === 'resolved' ? `${m.action ?? ''}（${m.resolved_by ?? ''} ${whenText(m.resolved_at)}）` : '—'}</Td>
                    <Td className="nowrap">
                      {m.state === 'open' ? (
                        <Button size="s" onClick={() => setResolving(m)}>
                          {t.mnResolve}
                        </Button>
                      ) : (
                        '—'
                      )}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </TableReel>
        </Base>
      )}
      {resolving && (
        <ResolveDialog
          mistake={resolving}
          onClose={() => setResolving(null)}
          onDone={() => {
            setResolving(null)
            notify((t) => t.mnResolvedDone, 'success')
            list.reload()
          }}
        />
      )}
    </MyNumberFrame>
  )
}

function ResolveDialog({ mistake, onClose, onDone }: { mistake: Mistake; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useApp()
  const [action, setAction] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [status, setStatus] = useState<Status>()
  useFocusFirstInvalid(attempt, errors, ['action'], () => 'mn-resolve-action')
  const submit = async () => {
    if (action.trim() === '') {
      setErrors({ action: [t.requiredField] })
      setAttempt((n) => n + 1)
      return
    }
    setStatus({ status: 'processing' })
    try {
      await api.post(`/api/mynumber/mistakes/${mistake.id}/resolve`, { action: action.trim() })
      onDone()
    } catch (e) {
      const f = dialogFailure(e, t, lang, ['action'])
      setErrors(f.errors)
      setStatus(f.status)
      setAttempt((n) => n + 1)
    }
  }
  return (
    <FormDialog
      isOpen
      size="M"
      title={t.mnResolveTitle}
      actionText={t.mnResolveSubmit}
      responseStatus={status}
      decorators={{ closeButtonLabel: () => t.cancel }}
      onClickClose={onClose}
      onSubmit={submit}
    >
      <Stack gap={1}>
        <Text as="p">{t.mnResolveLead}</Text>
        <Text as="p" size="S" color="TEXT_GREY" className="pre-wrap">
          {mistake.description}
        </Text>
        <FormControl label={{ text: t.mnResolution, htmlFor: 'mn-resolve-action' }} statusLabels={<RequiredLabel />} helpMessage={t.mnResolutionHelp} errorMessages={errors.action}>
          <Textarea id="mn-resolve-action" value={action} onChange={(e) => setAction(e.target.value)} maxLetters={1000} rows={3} width="100%" />
        </FormControl>
      </Stack>
    </FormDialog>
  )
}

// ---- 月次のアクセス報告 ----

type ReportRow = { actor: string; action: string; access: string; outcome: string; count: number }
type ReportEvent = { seq: number; started_at: string; ended_at: string | null; actor: string; action: string; target_id: string; access: string; outcome: string; client: string | null; details: string | null }
type Report = { month: string; from: string; to: string; by_user: ReportRow[]; events: ReportEvent[] }

const ACTION_LABEL: Record<string, MessageKey> = {
  'mynumber.list': 'mnActList',
  'mynumber.view': 'mnActView',
  'mynumber.reveal': 'mnActReveal',
  'mynumber.create': 'mnActCreate',
  'mynumber.update': 'mnActUpdate',
  'mynumber.collect': 'mnActCollect',
  'mynumber.correct': 'mnActCorrect',
  'mynumber.identity_check': 'mnActIdentityCheck',
  'mynumber.export': 'mnActExport',
  'mynumber.deletion_request': 'mnActDeletionRequest',
  'mynumber.deletion_reject': 'mnActDeletionReject',
  'mynumber.delete': 'mnActDelete',
  'mynumber.report': 'mnActReport',
}

const ACCESS_LABEL: Record<string, MessageKey> = {
  read: 'mnAccessRead',
  update: 'mnAccessUpdate',
  create: 'mnAccessCreate',
  delete: 'mnAccessDelete',
  output: 'mnAccessOutput',
}

function actionText(t: Messages, a: string): string {
  return a in ACTION_LABEL ? t[ACTION_LABEL[a]] : a
}
function accessText(t: Messages, a: string): string {
  return a in ACCESS_LABEL ? t[ACCESS_LABEL[a]] : a
}
function outcomeText(t: Messages, o: string): string {
  return o === 'success' ? t.mnOutcomeSuccess : o === 'denied' ? t.mnOutcomeDenied : o
}
function purposeOfDetails(details: string | null): string {
  if (!details) return ''
  try {
    const d = JSON.parse(details) as { purpose?: unknown }
    return typeof d.purpose === 'string' ? d.purpose : ''
  } catch {
    return ''
  }
}

export function ReportView({ query }: { query: string }) {
  const { t, lang } = useApp()
  const { purposes } = usePurposes()
  const asked = new URLSearchParams(query).get('month') ?? ''
  const month = isMonth(asked) ? asked : previousMonth(monthOf(new Date()))
  const [input, setInput] = useState(month)
  useEffect(() => setInput(month), [month])
  const { data, error, reload } = useGet<Report>(`/api/mynumber/report?month=${encodeURIComponent(month)}`)
  const shown = data && data.month === month ? data : null

  return (
    <MyNumberFrame view="report" title={t.mnReportHeading}>
      <Text as="p">{t.mnReportLead}</Text>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (isMonth(input)) location.hash = `#/mynumber/report?month=${input}`
        }}
      >
        <Cluster align="flex-end" gap={0.75}>
          <FormControl label={{ text: t.mnReportMonth, htmlFor: 'mn-report-month' }} helpMessage={t.mnReportMonthHelp}>
            <Input id="mn-report-month" type="month" value={input} onChange={(e) => setInput(e.target.value)} width="12em" />
          </FormControl>
          <Button type="submit">{t.mnReportShow}</Button>
        </Cluster>
      </form>
      {error !== null ? (
        <LoadError error={error} retry={reload} />
      ) : shown === null ? (
        <Loader size="s" text={t.loading} />
      ) : (
        <>
          <Section>
            <Stack gap={0.75}>
              <Heading>{fmt(t.mnReportByUser, { month: shown.month.replace('-', '/') })}</Heading>
              {shown.by_user.length === 0 ? (
                <Text as="p">{t.mnReportEmpty}</Text>
              ) : (
                <Base className="table-base">
                  <TableReel>
                    <Table className="data-table mn-report-summary" aria-label={t.mnReportByUserLabel}>
                      <thead>
                        <tr>
                          <Th>{t.mnActor}</Th>
                          <Th>{t.mnAction}</Th>
                          <Th>{t.mnAccess}</Th>
                          <Th>{t.mnOutcome}</Th>
                          <Th align="right">{t.mnCount}</Th>
                        </tr>
                      </thead>
                      <tbody>
                        {shown.by_user.map((r, i) => (
                          <tr key={i} data-actor={r.actor} data-action={r.action}>
                            <Td className="nowrap mono">{r.actor}</Td>
                            <Td className="nowrap">{actionText(t, r.action)}</Td>
                            <Td className="nowrap">{accessText(t, r.access)}</Td>
                            <Td className="nowrap">{outcomeText(t, r.outcome)}</Td>
                            <Td align="right" className="nowrap">
                              {r.count}
                            </Td>
                          </tr>
                        ))}
                      </tbody>
                    </Table>
                  </TableReel>
                </Base>
              )}
            </Stack>
          </Section>
          {shown.events.length > 0 && (
            <Section>
              <Stack gap={0.75}>
                <Heading>{t.mnReportEvents}</Heading>
                <Base className="table-base">
                  <TableReel>
                    <Table className="data-table mn-report-events" aria-label={t.mnReportEvents}>
                      <thead>
                        <tr>
                          <Th>{t.mnStartedAt}</Th>
                          <Th>{t.mnEndedAt}</Th>
                          <Th>{t.mnActor}</Th>
                          <Th>{t.mnAction}</Th>
                          <Th>{t.mnSubject}</Th>
                          <Th>{t.mnAccess}</Th>
                          <Th>{t.mnPurpose}</Th>
                          <Th>{t.mnOutcome}</Th>
                        </tr>
                      </thead>
                      <tbody>
                        {shown.events.map((e) => {
                          const p = purposeOfDetails(e.details)
                          return (
                            <tr key={e.seq}>
                              <Td className="nowrap">{whenText(e.started_at)}</Td>
                              <Td className="nowrap">{whenText(e.ended_at)}</Td>
                              <Td className="nowrap mono">{e.actor}</Td>
                              <Td className="nowrap">{actionText(t, e.action)}</Td>
                              <Td className="nowrap">
                                {/^\d+$/.test(e.target_id) ? <TextLink href={`#/mynumber/subjects/${e.target_id}`}>{`#${e.target_id}`}</TextLink> : t.mnAllSubjects}
                              </Td>
                              <Td className="nowrap">{accessText(t, e.access)}</Td>
                              <Td>{p ? purposeLabel(p, purposes ?? [], lang) : '—'}</Td>
                              <Td className="nowrap">{outcomeText(t, e.outcome)}</Td>
                            </tr>
                          )
                        })}
                      </tbody>
                    </Table>
                  </TableReel>
                </Base>
              </Stack>
            </Section>
          )}
        </>
      )}
    </MyNumberFrame>
  )
}

// ---- 取扱記録簿 ----

type HandlingRecord = { id: number; at: string; actor: string; action: string; subject_id: number | null; purpose: string | null; detail: string }

const RECORD_ACTION: Record<string, MessageKey> = {
  collect: 'mnRecCollect',
  use: 'mnRecUse',
  output: 'mnRecOutput',
  takeout: 'mnRecTakeout',
  deletion: 'mnRecDeletion',
  correction: 'mnRecCorrection',
}

export function RecordsView() {
  const { t, lang } = useApp()
  const { purposes } = usePurposes()
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [asked, setAsked] = useState({ from: '', to: '' })
  const params = new URLSearchParams()
  if (asked.from) params.set('from', asked.from)
  if (asked.to) params.set('to', asked.to)
  const qs = params.toString()
  const { data, error, reload } = useGet<{ items: HandlingRecord[] }>(`/api/mynumber/records${qs ? `?${qs}` : ''}`)
  const items = itemsOf(data)
  return (
    <MyNumberFrame view="records" title={t.mnRecordsHeading}>
      <Text as="p">{t.mnRecordsLead}</Text>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          setAsked({ from, to })
        }}
        aria-label={t.mnRecordsPeriod}
      >
        <Cluster align="flex-end" gap={0.75}>
          <FormControl label={{ text: t.mnFrom, htmlFor: 'mn-records-from' }}>
            <Input id="mn-records-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} width="12em" />
          </FormControl>
          <FormControl label={{ text: t.mnTo, htmlFor: 'mn-records-to' }}>
            <Input id="mn-records-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} width="12em" />
          </FormControl>
          <Button type="submit">{t.mnReportShow}</Button>
        </Cluster>
      </form>
      {error !== null ? (
        <LoadError error={error} retry={reload} />
      ) : data === null ? (
        <Loader size="s" text={t.loading} />
      ) : items.length === 0 ? (
        <Text as="p">{t.mnRecordsEmpty}</Text>
      ) : (
        <Base className="table-base">
          <TableReel>
            <Table className="data-table mn-records" aria-label={t.mnRecordsHeading}>
              <thead>
                <tr>
                  <Th>{t.mnAt}</Th>
                  <Th>{t.mnActor}</Th>
                  <Th>{t.mnRecordKind}</Th>
                  <Th>{t.mnSubject}</Th>
                  <Th>{t.mnPurpose}</Th>
                  <Th>{t.mnDetail}</Th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr key={r.id} data-action={r.action}>
                    <Td className="nowrap">{whenText(r.at)}</Td>
                    <Td className="nowrap mono">{r.actor}</Td>
                    <Td className="nowrap">{r.action in RECORD_ACTION ? t[RECORD_ACTION[r.action]] : r.action}</Td>
                    <Td className="nowrap">{r.subject_id ? <TextLink href={`#/mynumber/subjects/${r.subject_id}`}>{`#${r.subject_id}`}</TextLink> : '—'}</Td>
                    <Td>{r.purpose ? purposeLabel(r.purpose, purposes ?? [], lang) : '—'}</Td>
                    <Td>{r.detail || '—'}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </TableReel>
        </Base>
      )}
    </MyNumberFrame>
  )
}

// ---- 本人からの請求 ----

type IndividualRequest = {
  id: number
  subject_id: number | null
  kind: 'disclosure' | 'correction' | 'stop'
  received_on: string
  identity_checked: number | boolean
  decision: 'pending' | 'granted' | 'refused'
  reason: string
  notified_on: string | null
  created_by: string
  updated_at: string
}

const REQUEST_KINDS = ['disclosure', 'correction', 'stop'] as const
const REQUEST_KIND_LABEL: Record<string, MessageKey> = { disclosure: 'mnReqDisclosure', correction: 'mnReqCorrection', stop: 'mnReqStop' }
const DECISIONS = ['pending', 'granted', 'refused'] as const
const DECISION_LABEL: Record<string, MessageKey> = { pending: 'mnDecisionPending', granted: 'mnDecisionGranted', refused: 'mnDecisionRefused' }

export function RequestsView() {
  const { t, notify } = useApp()
  const abilities = useAbilities()
  const list = useGet<{ items: IndividualRequest[] }>('/api/mynumber/requests')
  const [dialog, setDialog] = useState<{ kind: 'add' } | { kind: 'decide'; request: IndividualRequest } | null>(null)
  const items = itemsOf(list.data)
  const canWrite = abilities.collect
  return (
    <MyNumberFrame
      view="requests"
      title={t.mnRequestsHeading}
      actions={
        canWrite && (
          <Button variant="primary" size="s" onClick={() => setDialog({ kind: 'add' })}>
            {t.mnRequestAdd}
          </Button>
        )
      }
    >
      <Text as="p">{t.mnRequestsLead}</Text>
      {list.error !== null ? (
        <LoadError error={list.error} retry={list.reload} />
      ) : list.data === null ? (
        <Loader size="s" text={t.loading} />
      ) : items.length === 0 ? (
        <Text as="p">{t.mnRequestsEmpty}</Text>
      ) : (
        <Base className="table-base">
          <TableReel>
            <Table className="data-table mn-requests" aria-label={t.mnRequestsHeading}>
              <thead>
                <tr>
                  <Th>{t.mnReceivedOn}</Th>
                  <Th>{t.mnRequestKind}</Th>
                  <Th>{t.mnSubject}</Th>
                  <Th>{t.mnIdentityChecked}</Th>
                  <Th>{t.mnDecision}</Th>
                  <Th>{t.mnReason}</Th>
                  <Th>{t.mnNotifiedOn}</Th>
                  {canWrite && <Th>{t.actions}</Th>}
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr key={r.id} data-request={r.id}>
                    <Td className="nowrap">{whenText(r.received_on)}</Td>
                    <Td className="nowrap">{r.kind in REQUEST_KIND_LABEL ? t[REQUEST_KIND_LABEL[r.kind]] : r.kind}</Td>
                    <Td className="nowrap">{r.subject_id ? <TextLink href={`#/mynumber/subjects/${r.subject_id}`}>{`#${r.subject_id}`}</TextLink> : '—'}</Td>
                    <Td className="nowrap">{r.identity_checked ? t.yes : t.no}</Td>
                    <Td className="nowrap">
                      <StatusLabel type={r.decision === 'pending' ? 'warning' : r.decision === 'granted' ? 'green' : 'grey'}>
                        {r.decision in DECISION_LABEL ? t[DECISION_LABEL[r.decision]] : r.decision}
                      </StatusLabel>
                    </Td>
                    <Td>{r.reason || '—'}</Td>
                    <Td className="nowrap">{whenText(r.notified_on)}</Td>
                    {canWrite && (
                      <Td className="nowrap">
                        <Button size="s" onClick={() => setDialog({ kind: 'decide', request: r })}>
                          {t.mnRequestDecide}
                        </Button>
                      </Td>
                    )}
                  </tr>
                ))}
              </tbody>
            </Table>
          </TableReel>
        </Base>
      )}
      {!canWrite && (
        <Text as="p" size="S" color="TEXT_GREY">
          {t.mnRequestsHandlersOnly}
        </Text>
      )}
      {dialog?.kind === 'add' && (
        <RequestAddDialog
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null)
            notify((t) => t.mnRequestAdded, 'success')
            list.reload()
          }}
        />
      )}
      {dialog?.kind === 'decide' && (
        <RequestDecideDialog
          request={dialog.request}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null)
            notify((t) => t.mnRequestSaved, 'success')
            list.reload()
          }}
        />
      )}
    </MyNumberFrame>
  )
}

const REQ_ORDER = ['kind', 'subject_id', 'received_on', 'identity_checked']
const reqId = (f: string) => `mn-req-${f}`

function RequestAddDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { t, lang } = useApp()
  const [kind, setKind] = useState('')
  const [subjectId, setSubjectId] = useState('')
  const [received, setReceived] = useState('')
  const [checked, setChecked] = useState(false)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [status, setStatus] = useState<Status>()
  useFocusFirstInvalid(attempt, errors, REQ_ORDER, reqId)
  const submit = async () => {
    const local: FieldErrors = {}
    if (kind === '') local.kind = [t.requiredField]
    if (received === '') local.received_on = [t.requiredField]
    if (Object.keys(local).length) {
      setErrors(local)
      setStatus(undefined)
      setAttempt((n) => n + 1)
      return
    }
    setStatus({ status: 'processing' })
    try {
      const body: Record<string, unknown> = { kind, received_on: received, identity_checked: checked }
      if (/^\d+$/.test(subjectId.trim())) body.subject_id = Number(subjectId.trim())
      await api.post('/api/mynumber/requests', body)
      onDone()
    } catch (e) {
      const f = dialogFailure(e, t, lang, REQ_ORDER)
      setErrors(f.errors)
      setStatus(f.status)
      setAttempt((n) => n + 1)
    }
  }
  return (
    <FormDialog
      isOpen
      size="M"
      title={t.mnRequestAdd}
      actionText={t.mnRecordAction}
      responseStatus={status}
      decorators={{ closeButtonLabel: () => t.cancel }}
      onClickClose={onClose}
      onSubmit={submit}
    >
      <Stack gap={1.25}>
        <FormControl label={{ text: t.mnRequestKind, htmlFor: reqId('kind') }} statusLabels={<RequiredLabel />} errorMessages={errors.kind}>
          <Select
            id={reqId('kind')}
            value={kind}
            onChangeValue={setKind}
            hasBlank
            decorators={{ blankLabel: () => t.selectBlank }}
            options={REQUEST_KINDS.map((k) => ({ value: k, label: t[REQUEST_KIND_LABEL[k]] }))}
          />
        </FormControl>
        <FormControl label={{ text: t.mnRequestSubject, htmlFor: reqId('subject_id') }} helpMessage={t.mnRequestSubjectHelp} errorMessages={errors.subject_id}>
          <Input id={reqId('subject_id')} inputMode="numeric" autoComplete="off" value={subjectId} onChange={(e) => setSubjectId(e.target.value)} width="8em" />
        </FormControl>
        <FormControl label={{ text: t.mnReceivedOn, htmlFor: reqId('received_on') }} statusLabels={<RequiredLabel />} errorMessages={errors.received_on}>
          <Input id={reqId('received_on')} type="date" value={received} onChange={(e) => setReceived(e.target.value)} width="12em" />
        </FormControl>
        <Checkbox id={reqId('identity_checked')} checked={checked} onChange={(e) => setChecked(e.target.checked)}>
          {t.mnIdentityCheckedLabel}
        </Checkbox>
      </Stack>
    </FormDialog>
  )
}

const DECIDE_ORDER = ['decision', 'reason', 'notified_on', 'identity_checked']
const decideId = (f: string) => `mn-decide-${f}`

function RequestDecideDialog({ request, onClose, onDone }: { request: IndividualRequest; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useApp()
  const [decision, setDecision] = useState<string>(request.decision)
  const [reason, setReason] = useState(request.reason ?? '')
  const [notified, setNotified] = useState(request.notified_on ?? '')
  const [checked, setChecked] = useState(!!request.identity_checked)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [status, setStatus] = useState<Status>()
  useFocusFirstInvalid(attempt, errors, DECIDE_ORDER, decideId)
  const submit = async () => {
    if (decision === 'refused' && reason.trim() === '') {
      setErrors({ reason: [t.mnRefusalReasonRequired] })
      setStatus(undefined)
      setAttempt((n) => n + 1)
      return
    }
    setStatus({ status: 'processing' })
    try {
      const body: Record<string, unknown> = { decision, reason: reason.trim(), identity_checked: checked }
      if (notified !== '') body.notified_on = notified
      await api.patch(`/api/mynumber/requests/${request.id}`, body)
      onDone()
    } catch (e) {
      const f = dialogFailure(e, t, lang, DECIDE_ORDER)
      setErrors(f.errors)
      setStatus(f.status)
      setAttempt((n) => n + 1)
    }
  }
  return (
    <FormDialog
      isOpen
      size="M"
      title={t.mnRequestDecide}
      actionText={t.save}
      responseStatus={status}
      decorators={{ closeButtonLabel: () => t.cancel }}
      onClickClose={onClose}
      onSubmit={submit}
    >
      <Stack gap={1.25}>
        <Text as="p" size="S" color="TEXT_GREY">
          {`${request.kind in REQUEST_KIND_LABEL ? t[REQUEST_KIND_LABEL[request.kind]] : request.kind}　${t.mnReceivedOn}${t.labelSeparator}${whenText(request.received_on)}`}
        </Text>
        <Checkbox id={decideId('identity_checked')} checked={checked} onChange={(e) => setChecked(e.target.checked)}>
          {t.mnIdentityCheckedLabel}
        </Checkbox>
        <FormControl label={{ text: t.mnDecision, htmlFor: decideId('decision') }} errorMessages={errors.decision}>
          <Select id={decideId('decision')} value={decision} onChangeValue={setDecision} options={DECISIONS.map((d) => ({ value: d, label: t[DECISION_LABEL[d]] }))} />
        </FormControl>
        <FormControl label={{ text: t.mnReason, htmlFor: decideId('reason') }} helpMessage={t.mnDecisionReasonHelp} errorMessages={errors.reason}>
          <Textarea id={decideId('reason')} value={reason} onChange={(e) => setReason(e.target.value)} maxLetters={600} rows={3} width="100%" />
        </FormControl>
        <FormControl label={{ text: t.mnNotifiedOn, htmlFor: decideId('notified_on') }} errorMessages={errors.notified_on}>
          <Input id={decideId('notified_on')} type="date" value={notified} onChange={(e) => setNotified(e.target.value)} width="12em" />
        </FormControl>
      </Stack>
    </FormDialog>
  )
}
