// 申請・承認: the approval engine's requests (docs/internals/approvals.md). The list has three
// tabs — 承認待ち (box=inbox: the requests whose current step I may decide), 自分の申請 (box=mine,
// with withdrawal while pending) and すべて (box=all, only with approvals.all) — and a request's
// page shows its steps, decisions and snapshot, with 承認 / 却下 and a comment.
import { useState, type ReactNode } from 'react'
import {
  Base,
  Button,
  Cluster,
  DefinitionList,
  DefinitionListItem,
  FormControl,
  Heading,
  Loader,
  Section,
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
import { approvalStateInfo, snapshotRows, subjectHref, type Approval, type ApprovalList, type Box } from '../approvals'
import { roleLabel } from '../auth'
import { errorMessage, LoadError, Page } from '../components'
import { useApp } from '../context'
import { fieldErrors } from '../forms'
import { formatDateTime } from '../format'
import { fmt } from '../i18n'
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
    <Page title={t.navApprovals}>
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
          onDone={(decision) => {
            notify((m) => (decision === 'approved' ? m.apApprovedDone : m.apRejectedDone))
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

function DecideForm({ id, onDone }: { id: number; onDone: (decision: string) => void }) {
  const { t, lang } = useApp()
  const [comment, setComment] = useState('')
  const [errors, setErrors] = useState<string[]>([])
  const [busy, setBusy] = useState<string | null>(null)
  const decide = async (decision: 'approved' | 'rejected') => {
    setBusy(decision)
    setErrors([])
    try {
      await api.post<Approval>(`/api/approvals/${id}/decisions`, { decision, comment })
      setComment('')
      onDone(decision)
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
