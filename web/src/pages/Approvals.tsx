// 申請・承認: the approval engine's requests (docs/internals/approvals.md). The list has three
// tabs — 承認待ち (box=inbox: the requests whose current step I may decide), 自分の申請 (box=mine,
// with withdrawal while pending) and すべて (box=all, only with approvals.all) — and 新しい申請, the
// form of a request (its type's regulation and approvers shown; the payload of the types whose
// approval acts: an account to issue, My Number access for IT staff). A request's page shows its
// steps, decisions, snapshot and payload, with 承認 / 却下 and a comment; an approval that issued an
// account shows its one-time password to the approver, once.
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react'
import {
  AnchorButton,
  Base,
  Button,
  Cluster,
  DefinitionList,
  DefinitionListItem,
  FormControl,
  Heading,
  InformationPanel,
  Input,
  Loader,
  NotificationBar,
  RequiredLabel,
  Section,
  Select,
  Stack,
  StatusLabel,
  TabBar,
  TabItem,
  Table,
  TableReel,
  Td,
  Text,
  Textarea,
  TextLink,
  Th,
} from 'smarthr-ui'
import { api, isApiError } from '../api'
import {
  approvalStateInfo,
  effectOf,
  emptyRequestForm,
  payloadRows,
  requestableTypes,
  requestBody,
  requestFields,
  routeLines,
  routeSteps,
  snapshotRows,
  subjectHref,
  type Approval,
  type ApprovalList,
  type ApprovalType,
  type Box,
  type DecisionAnswer,
  type DecisionResult,
  type RequestForm,
} from '../approvals'
import { roleLabel, type Person } from '../auth'
import { CopyButton, errorMessage, FormErrorSummary, LoadError, Page, useFocusFirstInvalid } from '../components'
import { useApp } from '../context'
import { fieldErrors, saveErrors, type FieldErrors } from '../forms'
import { formatDateTime } from '../format'
import { fmt } from '../i18n'
import { RoleChoices } from './Accounts'
import { DueText } from './Duties'
import { useGet } from './Ledgers'

const CLASS_LABELS: Record<string, { ja: string; en: string }> = {
  internal: { ja: '社外秘', en: 'Internal' },
  secret: { ja: '極秘', en: 'Strictly confidential' },
  mynumber: { ja: '特定個人情報', en: 'My Number' },
}

const when = (iso: string | null | undefined) => {
  if (!iso) return '—'
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? iso : formatDateTime(new Date(ms))
}

export function ApprovalStateLabel({ state }: { state: string }) {
  const { t } = useApp()
  const s = approvalStateInfo(state)
  return (
    <span className="approval-state" data-state={state}>
      <StatusLabel type={s?.type ?? 'grey'}>{s ? t[s.label] : state}</StatusLabel>
    </span>
  )
}

function OverdueMark() {
  const { t } = useApp()
  return (
    <span className="approval-overdue">
      <StatusLabel type="red" bold>
        {t.apOverdue}
      </StatusLabel>
    </span>
  )
}

export function ApprovalsPage() {
  const { t, permissions } = useApp()
  const [box, setBox] = useState<Box>('inbox')
  const boxes: Box[] = permissions.has('approvals.all') ? ['inbox', 'mine', 'all'] : ['inbox', 'mine']
  const label = (b: Box) => (b === 'inbox' ? t.apInbox : b === 'mine' ? t.apMine : t.apAll)
  return (
    <Page
      title={t.navApprovals}
      actions={
        <AnchorButton variant="primary" size="s" href="#/approvals/new">
          {t.apNew}
        </AnchorButton>
      }
    >
      <Text as="p">{t.apLead}</Text>
      <TabBar aria-label={t.apTabs}>
        {boxes.map((b) => (
          <TabItem key={b} id={`approvals-tab-${b}`} selected={box === b} onClick={() => setBox(b)} aria-controls="approvals-panel">
            {label(b)}
          </TabItem>
        ))}
      </TabBar>
      <div id="approvals-panel" role="tabpanel" aria-labelledby={`approvals-tab-${box}`}>
        <ApprovalsList key={box} box={box} />
      </div>
    </Page>
  )
}

function ApprovalsList({ box }: { box: Box }) {
  const { t, lang, notify } = useApp()
  const { data, error, loading, reload } = useGet<ApprovalList>(`/api/approvals?box=${box}`)
  const [withdrawError, setWithdrawError] = useState<{ id: number; text: string } | null>(null)
  const [busy, setBusy] = useState<number | null>(null)
  if (error !== null && data === null) return <LoadError error={error} retry={reload} />
  if (data === null) return <Loader size="s" text={t.loading} />

  const withdraw = async (a: Approval) => {
    setBusy(a.id)
    setWithdrawError(null)
    try {
      await api.post(`/api/approvals/${a.id}/withdraw`)
      notify((m) => m.apWithdrawn_done, 'success')
      reload()
    } catch (e) {
      setWithdrawError({ id: a.id, text: errorMessage(e, t, lang) })
    } finally {
      setBusy(null)
    }
  }

  const showState = box !== 'inbox'
  const cols = showState ? 7 : 6
  return (
    <Stack gap={0.75}>
      <Text as="p" color="TEXT_GREY" size="S">
        {fmt(t.apAsOf, { at: when(data.at) })}
      </Text>
      <Base className="table-base">
        <TableReel>
          <Table className="data-table approvals-table" aria-busy={loading || undefined} data-box={box}>
            <thead>
              <tr>
                <Th>{t.apType}</Th>
                <Th>{t.apTitle}</Th>
                <Th>{t.apRequester}</Th>
                <Th>{t.apRequestedAt}</Th>
                <Th>{t.apDue}</Th>
                {showState && <Th>{t.apState}</Th>}
                <Th>
                  <span className="visually-hidden">{t.apWithdraw}</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {data.items.length === 0 ? (
                <tr>
                  <Td colSpan={cols}>{box === 'inbox' ? t.apEmptyInbox : t.apEmpty}</Td>
                </tr>
              ) : (
                data.items.map((a) => (
                  <tr key={a.id} data-id={a.id} data-state={a.state} data-overdue={a.overdue || undefined}>
                    <Td className="nowrap">{lang === 'ja' ? a.type_title : a.type_title_en}</Td>
                    <Td>
                      <a href={`#/approvals/${a.id}`}>{a.title}</a>
                    </Td>
                    <Td className="nowrap">{a.requested_by}</Td>
                    <Td className="nowrap">{when(a.requested_at)}</Td>
                    <Td className="nowrap">
                      {a.due_on ? <DueText due={a.due_on} /> : '—'} {a.overdue && <OverdueMark />}
                    </Td>
                    {showState && (
                      <Td className="nowrap">
                        <ApprovalStateLabel state={a.state} />
                      </Td>
                    )}
                    <Td className="nowrap">
                      {box === 'mine' && a.state === 'pending' && (
                        <Button size="s" onClick={() => withdraw(a)} loading={busy === a.id} aria-label={`${t.apWithdraw}：${a.title}`}>
                          {t.apWithdraw}
                        </Button>
                      )}
                      {withdrawError?.id === a.id && (
                        <Text as="p" size="S" color="DANGER" role="alert">
                          {withdrawError.text}
                        </Text>
                      )}
                    </Td>
                  </tr>
                ))
              )}
            </tbody>
          </Table>
        </TableReel>
      </Base>
    </Stack>
  )
}

export function ApprovalPage({ id }: { id: number }) {
  const { t, lang, roles, session, notify } = useApp()
  const { data: a, error, reload } = useGet<Approval>(`/api/approvals/${id}`)
  const [issued, setIssued] = useState<DecisionResult['account'] | null>(null)
  const back = (
    <div>
      <TextLink href="#/approvals">{t.apBack}</TextLink>
    </div>
  )
  const title = fmt(t.apHeading, { id })
  if (error !== null && a === null)
    return (
      <Page title={title}>
        {isApiError(error, 404) ? <Text as="p">{t.apNotFound}</Text> : <LoadError error={error} retry={reload} />}
        {back}
      </Page>
    )
  if (a === null)
    return (
      <Page title={title}>
        <Loader size="s" text={t.loading} />
      </Page>
    )

  const mine = session?.account.login === a.requested_by
  const myRoles = session?.account.roles ?? []
  const mayDecide = a.state === 'pending' && a.step_roles.some((r) => myRoles.includes(r))
  const href = subjectHref(a.subject)
  const cls = CLASS_LABELS[a.class]
  const roleText = (keys: readonly string[]) => keys.map((k) => roleLabel(k, roles, lang)).join('、')
  const decisions = a.decisions ?? []
  const decisionText = (d: string) => (d === 'approved' ? t.apApproved : d === 'rejected' ? t.apRejected : d)

  return (
    <Page title={`${title} ${a.title}`}>
      {issued && <OneTimePassword account={issued} onClose={() => setIssued(null)} />}
      <Base padding={1.5} className="card approval-summary">
        <DefinitionList maxColumns={2}>
          <DefinitionListItem term={t.apType}>{lang === 'ja' ? a.type_title : a.type_title_en}</DefinitionListItem>
          <DefinitionListItem term={t.apClass}>{a.class ? (cls ? cls[lang] : a.class) : '—'}</DefinitionListItem>
          <DefinitionListItem term={t.apSubject}>{href ? <a href={href}>{a.subject}</a> : a.subject}</DefinitionListItem>
          <DefinitionListItem term={t.apState}>
            <Cluster gap={0.5}>
              <ApprovalStateLabel state={a.state} />
              {a.overdue && <OverdueMark />}
            </Cluster>
          </DefinitionListItem>
          <DefinitionListItem term={t.apRequester}>{a.requested_by}</DefinitionListItem>
          <DefinitionListItem term={t.apRequestedAt}>{when(a.requested_at)}</DefinitionListItem>
          <DefinitionListItem term={t.apDue}>{a.due_on ? <DueText due={a.due_on} /> : '—'}</DefinitionListItem>
          <DefinitionListItem term={a.state === 'pending' ? t.apStep : t.apClosedAt}>
            {a.state === 'pending' ? fmt(t.apStepOf, { step: a.current_step, steps: a.steps }) : `${when(a.closed_at)}${a.closed_by ? `（${a.closed_by}）` : ''}`}
          </DefinitionListItem>
          {a.detail ? (
            <DefinitionListItem term={t.apDetail}>
              <span className="pre-wrap">{a.detail}</span>
            </DefinitionListItem>
          ) : null}
        </DefinitionList>
      </Base>

      <PayloadSection a={a} />

      <Section>
        <Stack gap={0.75}>
          <Heading>{t.apSteps}</Heading>
          <ul className="plain-list approval-steps">
            {a.route.map((stepRoles, i) => {
              const step = i + 1
              const done = decisions.filter((d) => d.step === step)
              const current = a.state === 'pending' && a.current_step === step
              return (
                <li key={step} data-step={step} aria-current={current ? 'step' : undefined}>
                  {fmt(t.apStepOf, { step, steps: a.steps })}：{t.apStepRoles} {roleText(stepRoles)}
                  {done.map((d, j) => (
                    <span key={j}>
                      {' '}— {decisionText(d.decision)}（{d.decided_by}、{when(d.decided_at)}）
                    </span>
                  ))}
                  {current && <> — {t.apPending}</>}
                </li>
              )
            })}
          </ul>
        </Stack>
      </Section>

      <Section>
        <Stack gap={0.75}>
          <Heading>{t.apDecisions}</Heading>
          {decisions.length === 0 ? (
            <Text as="p">{t.apDecisionsEmpty}</Text>
          ) : (
            <Base className="table-base">
              <TableReel>
                <Table className="data-table decisions-table" aria-label={t.apDecisions}>
                  <thead>
                    <tr>
                      <Th>{t.apStep}</Th>
                      <Th>{t.apDecision}</Th>
                      <Th>{t.apDecidedBy}</Th>
                      <Th>{t.apDecidedAt}</Th>
                      <Th>{t.apRole}</Th>
                      <Th>{t.apComment}</Th>
                    </tr>
                  </thead>
                  <tbody>
                    {decisions.map((d, i) => (
                      <tr key={i} data-decision={d.decision}>
                        <Td className="nowrap">{d.step}</Td>
                        <Td className="nowrap">{decisionText(d.decision)}</Td>
                        <Td className="nowrap">{d.decided_by}</Td>
                        <Td className="nowrap">{when(d.decided_at)}</Td>
                        <Td className="nowrap">{roleLabel(d.role, roles, lang)}</Td>
                        <Td className="pre-wrap">{d.comment || '—'}</Td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
              </TableReel>
            </Base>
          )}
        </Stack>
      </Section>

      {mayDecide && (
        <DecideForm
          id={a.id}
          onDone={(decision, result) => {
            if (result?.account) setIssued(result.account)
            const grant = result?.grant
            const deletion = result?.deletion
            if (grant) notify((m) => fmt(m.apGrantDone, { login: grant.login, ends_at: when(grant.ends_at) }))
            else if (deletion) notify((m) => fmt(m.apDeletionDone, { subject: deletion.subject_id }))
            else notify((m) => (decision === 'approved' ? m.apApprovedDone : m.apRejectedDone))
            reload()
          }}
        />
      )}
      {mine && a.state === 'pending' && !mayDecide && <WithdrawButton id={a.id} onDone={reload} />}

      <Section>
        <Stack gap={0.75}>
          <Heading>{t.apSnapshot}</Heading>
          <SnapshotTable snapshot={a.snapshot} />
        </Stack>
      </Section>
      {back}
    </Page>
  )
}

function SnapshotTable({ snapshot }: { snapshot: unknown }) {
  const { t } = useApp()
  const rows = snapshotRows(snapshot)
  if (rows.length === 0) return <Text as="p">—</Text>
  return (
    <Base className="table-base">
      <Table className="data-table snapshot-table" aria-label={t.apSnapshot}>
        <thead>
          <tr>
            <Th>{t.apSnapshotKey}</Th>
            <Th>{t.apSnapshotValue}</Th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k} data-key={k}>
              <Th scope="row">{k}</Th>
              <Td className="pre-wrap">{v}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Base>
  )
}

function WithdrawButton({ id, onDone }: { id: number; onDone: () => void }) {
  const { t, lang, notify } = useApp()
  const [busy, setBusy] = useState(false)
  const [err, setErr] = useState<string | null>(null)
  return (
    <Cluster gap={0.75} align="center">
      <Button
        loading={busy}
        onClick={async () => {
          setBusy(true)
          setErr(null)
          try {
            await api.post(`/api/approvals/${id}/withdraw`)
            notify((m) => m.apWithdrawn_done)
            onDone()
          } catch (e) {
            setErr(errorMessage(e, t, lang))
          } finally {
            setBusy(false)
          }
        }}
      >
        {t.apWithdraw}
      </Button>
      {err && (
        <Text as="p" color="DANGER" role="alert">
          {err}
        </Text>
      )}
    </Cluster>
  )
}

function DecideForm({ id, onDone }: { id: number; onDone: (decision: string, result?: DecisionResult) => void }) {
  const { t, lang } = useApp()
  const [comment, setComment] = useState('')
  const [errors, setErrors] = useState<string[]>([])
  const [busy, setBusy] = useState<string | null>(null)
  const decide = async (decision: 'approved' | 'rejected') => {
    setBusy(decision)
    setErrors([])
    try {
      const r = await api.post<DecisionAnswer>(`/api/approvals/${id}/decisions`, { decision, comment })
      setComment('')
      onDone(decision, r.result)
    } catch (e) {
      // 422 (self_approval, same_decider, closed, comment) and 403: next to the comment
      const fe = isApiError(e, 422) || isApiError(e, 403) ? fieldErrors(e, lang) : {}
      const all = Object.values(fe).flat()
      setErrors(all.length ? all : [errorMessage(e, t, lang)])
      document.getElementById('approval-comment')?.focus()
    } finally {
      setBusy(null)
    }
  }
  const body: ReactNode = (
    <Stack gap={1}>
      <FormControl
        label={{ text: t.apComment, htmlFor: 'approval-comment' }}
        helpMessage={t.apCommentHelp}
        errorMessages={errors.length ? errors : undefined}
        data-field="comment"
      >
        <Textarea id="approval-comment" value={comment} onChange={(e) => setComment(e.target.value)} rows={3} width="100%" maxLetters={4000} />
      </FormControl>
      <Cluster gap={0.75}>
        <Button variant="primary" onClick={() => decide('approved')} loading={busy === 'approved'} disabled={busy !== null && busy !== 'approved'}>
          {t.apApprove}
        </Button>
        <Button variant="danger" onClick={() => decide('rejected')} loading={busy === 'rejected'} disabled={busy !== null && busy !== 'rejected'}>
          {t.apReject}
        </Button>
      </Cluster>
    </Stack>
  )
  return (
    <Base padding={1.5} className="card approval-decide">
      <Section>
        <Stack gap={0.75}>
          <Heading>{t.apDecision}</Heading>
          {body}
        </Stack>
      </Section>
    </Base>
  )
}

// ---- 新しい申請 ----

const newId = (f: string) => `ap-new-${f}`

/** #/approvals/new: the form of a new request. */
export function NewRequestPage() {
  return <NewRequest onCancel={() => (window.location.hash = '#/approvals')} />
}

/** The form of a new request; sent, it leads to the request's page. */
function NewRequest({ onCancel }: { onCancel: () => void }) {
  const { t, lang, roles, permissions, notify } = useApp()
  const typesGet = useGet<{ items: ApprovalType[] }>('/api/approvals/types')
  const [form, setForm] = useState<RequestForm>(emptyRequestForm)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [busy, setBusy] = useState(false)
  const order = useMemo(() => requestFields(form.type), [form.type])
  useFocusFirstInvalid(attempt, errors, order, newId, 'ap-new-errors')
  // the people without an account, for those who may list them; others type the person's number
  const canListPeople = permissions.has('people.read')
  const peopleGet = useGet<{ items: Person[] }>(canListPeople && form.type === 'account_issuance' ? '/api/people' : null)
  const candidates = useMemo(() => (peopleGet.data?.items ?? []).filter((p) => !p.account_login && !p.left_on), [peopleGet.data])
  const typeRef = useRef<HTMLSelectElement>(null)
  const loaded = typesGet.data !== null
  useEffect(() => {
    if (loaded) typeRef.current?.focus() // the form replaced the list: start at its first field
  }, [loaded])

  const types = useMemo(() => requestableTypes(typesGet.data?.items ?? []), [typesGet.data])
  const type = types.find((x) => x.code === form.type)
  const classes = type?.classes ?? []
  const steps = routeSteps(type, form.class)
  const noRoute = type !== undefined && (classes.length === 0 || form.class !== '') && (steps?.length ?? 0) === 0
  const role = (k: string) => roleLabel(k, roles, lang)
  const routeText = (s: string[][] | undefined) => routeLines(s, role, { step: t.apRouteStep, or: t.apRouteOr })

  const set = <K extends keyof RequestForm>(k: K, v: RequestForm[K]) => setForm((f) => ({ ...f, [k]: v }))
  const chooseType = (code: string) => {
    // another type: its own payload (a login typed for an account is not the account to give access)
    setForm((f) => ({ ...emptyRequestForm(), type: code, subject: f.subject, title: f.title, detail: f.detail, due_on: f.due_on }))
    setErrors({})
  }

  const submit = async (ev: FormEvent) => {
    ev.preventDefault()
    if (busy) return
    if (form.type === '') {
      setErrors({ type: [t.requiredField] })
      setAttempt((n) => n + 1)
      return
    }
    setBusy(true)
    try {
      const r = await api.post<Approval>('/api/approvals', requestBody(form))
      notify((m) => m.apRequested, 'success', `#/approvals/${r.id}`)
    } catch (e) {
      setBusy(false)
      setErrors(saveErrors(e, lang, order, errorMessage(e, t, lang), t.formHasErrors))
      setAttempt((n) => n + 1)
    }
  }

  const back = (
    <div>
      <TextLink
        href="#/approvals"
        onClick={(e) => {
          e.preventDefault()
          onCancel()
        }}
      >
        {t.apBack}
      </TextLink>
    </div>
  )
  if (typesGet.error !== null)
    return (
      <Page title={t.apNew}>
        <LoadError error={typesGet.error} retry={typesGet.reload} />
        {back}
      </Page>
    )
  if (!loaded)
    return (
      <Page title={t.apNew}>
        <Loader size="s" text={t.loading} />
      </Page>
    )

  return (
    <Page title={t.apNew}>
      <Text as="p">{t.apNewLead}</Text>
      <Base padding={1.5} className="card">
        <form onSubmit={submit} noValidate aria-label={t.apNew} className="approval-new">
          <Stack gap={1.25}>
            <FormErrorSummary id="ap-new-errors" messages={errors['']} />
            <FormControl label={{ text: t.apNewType, htmlFor: newId('type') }} statusLabels={<RequiredLabel />} helpMessage={t.apNewTypeHelp} errorMessages={errors.type}>
              <Select
                id={newId('type')}
                ref={typeRef}
                value={form.type}
                onChangeValue={chooseType}
                hasBlank
                decorators={{ blankLabel: () => t.selectBlank }}
                options={types.map((x) => ({ value: x.code, label: lang === 'ja' ? x.title : x.title_en }))}
              />
            </FormControl>
            {type && (
              <div className="approval-route" data-type={type.code}>
                <DefinitionList maxColumns={2}>
                  <DefinitionListItem term={t.apSource}>{type.source}</DefinitionListItem>
                  <DefinitionListItem term={t.apRouteLabel}>
                    {classes.length > 0 && form.class === '' ? (
                      <ul className="plain-list">
                        {classes.map((c) => (
                          <li key={c}>
                            {CLASS_LABELS[c]?.[lang] ?? c}
                            {t.labelSeparator}
                            {routeText(routeSteps(type, c)).join('、') || '—'}
                          </li>
                        ))}
                      </ul>
                    ) : noRoute ? (
                      '—'
                    ) : (
                      <ul className="plain-list">
                        {routeText(steps).map((line, i) => (
                          <li key={i}>{line}</li>
                        ))}
                      </ul>
                    )}
                  </DefinitionListItem>
                </DefinitionList>
              </div>
            )}
            {noRoute && (
              <NotificationBar type="warning" className="approval-no-route">
                {t.apNoRoute}
              </NotificationBar>
            )}
            {classes.length > 0 && (
              <FormControl label={{ text: t.apClass, htmlFor: newId('class') }} statusLabels={<RequiredLabel />} errorMessages={errors.class}>
                <Select
                  id={newId('class')}
                  value={form.class}
                  onChangeValue={(v) => set('class', v)}
                  hasBlank
                  decorators={{ blankLabel: () => t.selectBlank }}
                  options={classes.map((c) => ({ value: c, label: CLASS_LABELS[c]?.[lang] ?? c }))}
                />
              </FormControl>
            )}
            <FormControl label={{ text: t.apSubject, htmlFor: newId('subject') }} statusLabels={<RequiredLabel />} helpMessage={t.apSubjectHelp} errorMessages={errors.subject}>
              <Input id={newId('subject')} value={form.subject} onChange={(e) => set('subject', e.target.value)} width="100%" />
            </FormControl>
            <FormControl label={{ text: t.apTitle, htmlFor: newId('title') }} statusLabels={<RequiredLabel />} helpMessage={t.apTitleHelp} errorMessages={errors.title}>
              <Input id={newId('title')} value={form.title} onChange={(e) => set('title', e.target.value)} width="100%" />
            </FormControl>
            <FormControl label={{ text: t.apDetail, htmlFor: newId('detail') }} errorMessages={errors.detail}>
              <Textarea id={newId('detail')} value={form.detail} onChange={(e) => set('detail', e.target.value)} rows={4} width="100%" maxLetters={4000} />
            </FormControl>
            <FormControl label={{ text: t.apDue, htmlFor: newId('due_on') }} helpMessage={t.apDueHelp} errorMessages={errors.due_on}>
              <Input id={newId('due_on')} type="date" value={form.due_on} onChange={(e) => set('due_on', e.target.value)} width="12em" />
            </FormControl>

            {form.type === 'account_issuance' && (
              <Section>
                <Stack gap={1.25} className="approval-payload-fields" data-type="account_issuance">
                  <Heading>{t.apAccountFields}</Heading>
                  <FormControl
                    label={{ text: t.apPayloadPerson, htmlFor: newId('person_id') }}
                    statusLabels={<RequiredLabel />}
                    helpMessage={canListPeople ? (candidates.length || peopleGet.data === null ? t.issuePersonHelp : t.issueNoPeople) : t.apPersonIdHelp}
                    errorMessages={errors.person_id}
                  >
                    {canListPeople && peopleGet.error === null ? (
                      <Select
                        id={newId('person_id')}
                        value={form.person_id}
                        onChangeValue={(v) => set('person_id', v)}
                        hasBlank
                        decorators={{ blankLabel: () => (peopleGet.data === null ? t.loading : t.selectBlank) }}
                        options={candidates.map((p) => ({ value: String(p.id), label: `${p.employee_no}　${p.name}（${p.name_kana}）` }))}
                      />
                    ) : (
                      <Input id={newId('person_id')} inputMode="numeric" value={form.person_id} onChange={(e) => set('person_id', e.target.value)} width="8em" />
                    )}
                  </FormControl>
                  <FormControl label={{ text: t.login, htmlFor: newId('login') }} statusLabels={<RequiredLabel />} helpMessage={t.issueLoginHelp} errorMessages={errors.login}>
                    <Input id={newId('login')} autoComplete="off" autoCapitalize="none" spellCheck={false} value={form.login} onChange={(e) => set('login', e.target.value)} width="16em" />
                  </FormControl>
                  <RoleChoices id={newId('roles')} roles={roles} chosen={form.roles} setChosen={(r) => set('roles', r)} errors={errors.roles} lang={lang} />
                </Stack>
              </Section>
            )}

            {form.type === 'mynumber_it_access' && (
              <Section>
                <Stack gap={1.25} className="approval-payload-fields" data-type="mynumber_it_access">
                  <Heading>{t.apItAccessFields}</Heading>
                  <FormControl label={{ text: t.apPayloadAccount, htmlFor: newId('login') }} helpMessage={t.apAccountHelp} errorMessages={errors.login}>
                    <Input id={newId('login')} autoComplete="off" autoCapitalize="none" spellCheck={false} value={form.login} onChange={(e) => set('login', e.target.value)} width="16em" />
                  </FormControl>
                  <FormControl label={{ text: t.apPayloadReason, htmlFor: newId('reason') }} statusLabels={<RequiredLabel />} errorMessages={errors.reason}>
                    <Textarea id={newId('reason')} value={form.reason} onChange={(e) => set('reason', e.target.value)} rows={2} width="100%" maxLetters={400} />
                  </FormControl>
                  <FormControl label={{ text: t.apPayloadEndsAt, htmlFor: newId('ends_at') }} statusLabels={<RequiredLabel />} helpMessage={t.apEndsAtHelp} errorMessages={errors.ends_at}>
                    <Input id={newId('ends_at')} type="datetime-local" value={form.ends_at} onChange={(e) => set('ends_at', e.target.value)} width="16em" />
                  </FormControl>
                </Stack>
              </Section>
            )}

            <Cluster gap={0.75}>
              <Button type="submit" variant="primary" loading={busy} disabled={noRoute}>
                {t.apSubmit}
              </Button>
              <Button onClick={onCancel}>{t.cancel}</Button>
            </Cluster>
          </Stack>
        </form>
      </Base>
      {back}
    </Page>
  )
}

// ---- what an approval acts on ----

/** The payload of a request whose approval acts, with the sentence saying what approving does. */
function PayloadSection({ a }: { a: Approval }) {
  const { t, lang, roles, permissions } = useApp()
  const effect = effectOf(a.type)
  const canListPeople = permissions.has('people.read')
  const people = useGet<{ items: Person[] }>(effect && a.type === 'account_issuance' && canListPeople ? '/api/people' : null)
  if (!effect) return null
  const rows = payloadRows(a.type, a.payload, {
    person: (id) => {
      const p = people.data?.items.find((x) => x.id === id)
      return p ? `${p.name}（${p.employee_no}）` : null
    },
    role: (k) => roleLabel(k, roles, lang),
    when,
    list: (items) => items.join(lang === 'ja' ? '、' : ', '),
  })
  if (rows.length === 0) return null
  return (
    <Section>
      <Stack gap={0.75}>
        <Heading>{t.apEffectHeading}</Heading>
        <Text as="p">{t[effect]}</Text>
        <Base className="table-base">
          <Table className="data-table payload-table" aria-label={t.apEffectHeading}>
            <tbody>
              {rows.map((r) => (
                <tr key={r.field} data-field={r.field}>
                  <Th scope="row">{t[r.label]}</Th>
                  <Td className="pre-wrap">{r.href ? <a href={r.href}>{r.text}</a> : r.text}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Base>
      </Stack>
    </Section>
  )
}

/**
 * The one-time password of the account an approval just issued. It lives only in this page's state:
 * the server does not keep it with the request, so leaving the page (or 表示を消す) loses it.
 */
function OneTimePassword({ account, onClose }: { account: NonNullable<DecisionResult['account']>; onClose: () => void }) {
  const { t } = useApp()
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => ref.current?.focus(), [])
  return (
    <div ref={ref} tabIndex={-1} className="approval-one-time" data-login={account.login}>
      <InformationPanel type="success" title={t.apOneTimeTitle}>
        <Stack gap={1}>
          <Text as="p">{fmt(t.apOneTimeLead, { login: account.login })}</Text>
          <Cluster align="center" gap={0.75}>
            <span className="visually-hidden">{t.oneTimeLabel}</span>
            <code className="one-time-password" data-login={account.login}>
              {account.password}
            </code>
            <CopyButton text={account.password} />
          </Cluster>
          <div>
            <Button size="s" onClick={onClose}>
              {t.apOneTimeClose}
            </Button>
          </div>
        </Stack>
      </InformationPanel>
    </div>
  )
}
