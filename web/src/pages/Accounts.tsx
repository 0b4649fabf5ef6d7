// アカウント: mamori's own accounts. The list, issuing an account to a person (the one-time
// password is shown once), and the actions on one account.
import { useMemo, useState, type ReactNode } from 'react'
import {
  ActionDialog,
  Base,
  Button,
  Checkbox,
  Cluster,
  DropdownMenuButton,
  Fieldset,
  FormControl,
  FormDialog,
  Input,
  Loader,
  MessageDialog,
  RequiredLabel,
  Select,
  Stack,
  StatusLabel,
  Table,
  TableReel,
  Td,
  Text,
  Textarea,
  Th,
} from 'smarthr-ui'
import { api, isApiError } from '../api'
import { roleLabel, type Account, type AccountState, type Person, type Role } from '../auth'
import { CopyButton, errorMessage, LoadError, Page, useFocusFirstInvalid } from '../components'
import { useApp } from '../context'
import { fieldErrors, type FieldErrors } from '../forms'
import { formatDate } from '../format'
import { fmt, type MessageKey, type Messages } from '../i18n'
import { matchesFilter, useList } from './People'

const STATE: Record<AccountState, { label: MessageKey; type: 'green' | 'warning' | 'error' | 'grey' | 'blue' }> = {
  active: { label: 'stateActive', type: 'green' },
  locked: { label: 'stateLocked', type: 'error' },
  must_change_password: { label: 'stateMustChange', type: 'warning' },
  disabled: { label: 'stateDisabled', type: 'grey' },
}

type DialogState =
  | { kind: 'issue' }
  | { kind: 'oneTime'; login: string; password: string }
  | { kind: 'reset' | 'unlock' | 'mfaReset' | 'disable' | 'roles'; account: Account }
  | null

export function AccountsPage() {
  const { t, lang, permissions, roles, session, notify } = useApp()
  const { items, error, reload } = useList<Account>('/api/accounts')
  const [filter, setFilter] = useState('')
  const [dialog, setDialog] = useState<DialogState>(null)
  const canIssue = permissions.has('accounts.issue')
  const canManage = permissions.has('accounts.manage')
  const canAssign = permissions.has('roles.assign')
  const shown = useMemo(
    () => (items ?? []).filter((a) => matchesFilter(filter, a.login, a.person_name, ...a.roles.map((r) => roleLabel(r, roles, lang)))),
    [items, filter, roles, lang],
  )
  const close = () => setDialog(null)
  const done = (text: (t: Messages) => string) => {
    setDialog(null)
    notify(text, 'success')
    reload()
  }

  return (
    <Page
      title={t.navAccounts}
      actions={
        canIssue && (
          <Button variant="primary" size="s" onClick={() => setDialog({ kind: 'issue' })}>
            {t.accountIssue}
          </Button>
        )
      }
    >
      {error !== null ? (
        <LoadError error={error} retry={reload} />
      ) : items === null ? (
        <Loader size="s" text={t.loading} />
      ) : items.length === 0 ? (
        <Text as="p">{t.accountsEmpty}</Text>
      ) : (
        <Stack gap={0.75}>
          <Cluster align="flex-end" justify="space-between">
            <FormControl label={{ text: t.filter, htmlFor: 'accounts-filter' }}>
              <Input id="accounts-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} width="20em" />
            </FormControl>
            <Text size="S" color="TEXT_GREY" role="status">
              {fmt(t.count, { count: shown.length })}
            </Text>
          </Cluster>
          <Base className="table-base">
            <TableReel>
              <Table className="data-table accounts-table">
                <thead>
                  <tr>
                    <Th>{t.login}</Th>
                    <Th>{t.personName}</Th>
                    <Th>{t.roles}</Th>
                    <Th>{t.privileged}</Th>
                    <Th>{t.state}</Th>
                    <Th>{t.mfa}</Th>
                    {(canManage || canAssign) && <Th>{t.actions}</Th>}
                  </tr>
                </thead>
                <tbody>
                  {shown.length === 0 ? (
                    <tr>
                      <Td colSpan={7}>{t.noMatches}</Td>
                    </tr>
                  ) : (
                    shown.map((a) => {
                      const self = a.id === session?.account.id
                      return (
                        <tr key={a.id} data-account={a.login}>
                          <Td className="nowrap">
                            <span className="mono">{a.login}</span>
                            {self && <span className="muted"> {t.yourself}</span>}
                          </Td>
                          <Td className="nowrap">{a.person_name ?? '—'}</Td>
                          <Td>{a.roles.map((r) => roleLabel(r, roles, lang)).join(lang === 'ja' ? '、' : ', ') || '—'}</Td>
                          <Td className="nowrap">{a.privileged ? t.privilegedYes : t.privilegedNo}</Td>
                          <Td className="nowrap">
                            <StatusLabel type={STATE[a.state]?.type ?? 'grey'}>{STATE[a.state] ? t[STATE[a.state].label] : a.state}</StatusLabel>
                            {a.state === 'disabled' && a.disabled_at && <span className="muted small"> {formatDate(new Date(a.disabled_at))}</span>}
                          </Td>
                          <Td className="nowrap">{a.mfa_enabled ? t.mfaOn : <span className="muted">{t.mfaOff}</span>}</Td>
                          {(canManage || canAssign) && (
                            <Td>
                              {self || a.state === 'disabled' ? (
                                '—'
                              ) : (
                                <RowActions account={a} canManage={canManage} canAssign={canAssign} open={(kind) => setDialog({ kind, account: a })} />
                              )}
                            </Td>
                          )}
                        </tr>
                      )
                    })
                  )}
                </tbody>
              </Table>
            </TableReel>
          </Base>
        </Stack>
      )}

      {dialog?.kind === 'issue' && (
        <IssueDialog
          onClose={close}
          onIssued={(login, password) => {
            reload()
            setDialog({ kind: 'oneTime', login, password })
          }}
        />
      )}
      {dialog?.kind === 'oneTime' && <OneTimePasswordDialog login={dialog.login} password={dialog.password} onClose={close} />}
      {dialog?.kind === 'reset' && (
        <ConfirmDialog
          title={t.resetPassword}
          body={fmt(t.resetPasswordBody, { login: dialog.account.login })}
          actionText={t.resetPasswordAction}
          theme="danger"
          run={() => api.post<{ password: string }>(`/api/accounts/${dialog.account.id}/reset-password`, {})}
          onDone={(r) => {
            reload()
            setDialog({ kind: 'oneTime', login: dialog.account.login, password: r.password })
          }}
          onClose={close}
        />
      )}
      {dialog?.kind === 'unlock' && (
        <ConfirmDialog
          title={t.unlock}
          body={fmt(t.unlockBody, { login: dialog.account.login })}
          actionText={t.unlockAction}
          run={() => api.post(`/api/accounts/${dialog.account.id}/unlock`, {})}
          onDone={() => done((t) => fmt(t.unlocked, { login: dialog.account.login }))}
          onClose={close}
        />
      )}
      {dialog?.kind === 'mfaReset' && (
        <ConfirmDialog
          title={t.mfaReset}
          body={fmt(t.mfaResetBody, { login: dialog.account.login })}
          actionText={t.mfaResetAction}
          theme="danger"
          run={() => api.post(`/api/accounts/${dialog.account.id}/mfa-reset`, {})}
          onDone={() => done((t) => fmt(t.mfaResetDone, { login: dialog.account.login }))}
          onClose={close}
        />
      )}
      {dialog?.kind === 'disable' && (
        <DisableDialog account={dialog.account} onClose={close} onDone={() => done((t) => fmt(t.disabled, { login: dialog.account.login }))} />
      )}
      {dialog?.kind === 'roles' && (
        <RolesDialog account={dialog.account} onClose={close} onDone={() => done((t) => fmt(t.rolesChanged, { login: dialog.account.login }))} />
      )}
    </Page>
  )
}

function RowActions({
  account,
  canManage,
  canAssign,
  open,
}: {
  account: Account
  canManage: boolean
  canAssign: boolean
  open: (kind: 'reset' | 'unlock' | 'mfaReset' | 'disable' | 'roles') => void
}) {
  const { t } = useApp()
  const items: ReactNode[] = []
  if (canManage) {
    items.push(
      <Button key="reset" onClick={() => open('reset')}>
        {t.resetPassword}
      </Button>,
    )
    if (account.state === 'locked')
      items.push(
        <Button key="unlock" onClick={() => open('unlock')}>
          {t.unlock}
        </Button>,
      )
    if (account.mfa_enabled)
      items.push(
        <Button key="mfa" onClick={() => open('mfaReset')}>
          {t.mfaReset}
        </Button>,
      )
  }
  if (canAssign)
    items.push(
      <Button key="roles" onClick={() => open('roles')}>
        {t.changeRoles}
      </Button>,
    )
  if (canManage)
    items.push(
      <Button key="disable" onClick={() => open('disable')}>
        {t.disable}
      </Button>,
    )
  return (
    <DropdownMenuButton
      trigger={{ children: t.actions, size: 's' }}
      aria-label={fmt(t.accountsOf, { login: account.login })}
    >
      {items}
    </DropdownMenuButton>
  )
}

// ---- dialogs ----

/** Runs one call on confirmation; a refusal is shown inside the dialog. */
function ConfirmDialog<T>({
  title,
  body,
  actionText,
  theme = 'primary',
  run,
  onDone,
  onClose,
}: {
  title: string
  body: string
  actionText: string
  theme?: 'primary' | 'danger'
  run: () => Promise<T>
  onDone: (r: T) => void
  onClose: () => void
}) {
  const { t, lang } = useApp()
  const [status, setStatus] = useState<{ status: 'processing' } | { status: 'error'; text: string } | undefined>()
  return (
    <ActionDialog
      isOpen
      title={title}
      actionText={actionText}
      actionTheme={theme}
      responseStatus={status}
      decorators={{ closeButtonLabel: () => t.cancel }}
      onClickClose={onClose}
      onClickAction={async () => {
        setStatus({ status: 'processing' })
        try {
          onDone(await run())
        } catch (e) {
          setStatus({ status: 'error', text: errorMessage(e, t, lang) })
        }
      }}
    >
      <Text as="p">{body}</Text>
    </ActionDialog>
  )
}

/** The one-time password, shown once, with a copy button. */
function OneTimePasswordDialog({ login, password, onClose }: { login: string; password: string; onClose: () => void }) {
  const { t } = useApp()
  return (
    <MessageDialog
      isOpen
      size="M"
      title={t.oneTimeTitle}
      onClickClose={onClose}
      decorators={{ closeButtonLabel: () => t.close }}
      className="one-time-dialog"
    >
      <Stack gap={1}>
        <Text as="p">{fmt(t.oneTimeLead, { login })}</Text>
        <Cluster align="center" gap={0.75}>
          <span className="visually-hidden">{t.oneTimeLabel}</span>
          <code className="one-time-password" data-login={login}>
            {password}
          </code>
          <CopyButton text={password} />
        </Cluster>
      </Stack>
    </MessageDialog>
  )
}

const ISSUE_ORDER = ['person_id', 'login', 'roles'] as const
const issueId = (f: string) => `issue-${f}`

function IssueDialog({ onClose, onIssued }: { onClose: () => void; onIssued: (login: string, password: string) => void }) {
  const { t, lang, roles } = useApp()
  const people = useList<Person>('/api/people')
  const candidates = useMemo(() => (people.items ?? []).filter((p) => !p.account_login && !p.left_on), [people.items])
  const [personId, setPersonId] = useState('')
  const [login, setLogin] = useState('')
  const [chosen, setChosen] = useState<string[]>(['employee'])
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [status, setStatus] = useState<{ status: 'processing' } | { status: 'error'; text: string } | undefined>()
  useFocusFirstInvalid(attempt, errors, ISSUE_ORDER, issueId)

  const submit = async () => {
    const local: FieldErrors = {}
    if (personId === '') local.person_id = [t.requiredField]
    if (login.trim() === '') local.login = [t.requiredField]
    if (Object.keys(local).length) {
      setErrors(local)
      setStatus({ status: 'error', text: t.formHasErrors })
      setAttempt((n) => n + 1)
      return
    }
    setStatus({ status: 'processing' })
    try {
      const r = await api.post<{ id: number; login: string; password: string }>('/api/accounts', {
        person_id: Number(personId),
        login: login.trim(),
        roles: chosen,
      })
      onIssued(r.login, r.password)
    } catch (e) {
      const fe = isApiError(e, 422) ? fieldErrors(e, lang, ISSUE_ORDER) : {}
      const other = fe[''] ?? []
      delete fe['']
      setErrors(fe)
      setStatus({ status: 'error', text: other.length ? other.join(' ') : Object.keys(fe).length ? t.formHasErrors : errorMessage(e, t, lang) })
      setAttempt((n) => n + 1)
    }
  }

  return (
    <FormDialog
      isOpen
      size="M"
      title={t.accountIssue}
      actionText={t.issueSubmit}
      responseStatus={status}
      decorators={{ closeButtonLabel: () => t.cancel }}
      onClickClose={onClose}
      onSubmit={submit}
    >
      {people.error !== null ? (
        <LoadError error={people.error} retry={people.reload} />
      ) : people.items === null ? (
        <Loader size="s" text={t.loading} />
      ) : (
        <Stack gap={1.25}>
          <FormControl
            label={{ text: t.issuePerson, htmlFor: issueId('person_id') }}
            statusLabels={<RequiredLabel />}
            helpMessage={candidates.length ? t.issuePersonHelp : t.issueNoPeople}
            errorMessages={errors.person_id}
          >
            <Select
              id={issueId('person_id')}
              value={personId}
              onChangeValue={setPersonId}
              hasBlank
              decorators={{ blankLabel: () => t.selectBlank }}
              options={candidates.map((p) => ({ value: String(p.id), label: `${p.employee_no}　${p.name}（${p.name_kana}）` }))}
            />
          </FormControl>
          <FormControl
            label={{ text: t.login, htmlFor: issueId('login') }}
            statusLabels={<RequiredLabel />}
            helpMessage={t.issueLoginHelp}
            errorMessages={errors.login}
          >
            <Input
              id={issueId('login')}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              value={login}
              onChange={(e) => setLogin(e.target.value)}
              width="16em"
            />
          </FormControl>
          <RoleChoices id={issueId('roles')} roles={roles} chosen={chosen} setChosen={setChosen} errors={errors.roles} lang={lang} />
        </Stack>
      )}
    </FormDialog>
  )
}

/** The roles as checkboxes (the first has id, the others id-KEY). */
export function RoleChoices({
  id,
  roles,
  chosen,
  setChosen,
  errors,
  lang,
}: {
  id: string
  roles: Role[]
  chosen: string[]
  setChosen: (r: string[]) => void
  errors?: string[]
  lang: 'ja' | 'en'
}) {
  const { t } = useApp()
  return (
    <Fieldset legend={t.roles} errorMessages={errors}>
      <div className="role-choices">
        {roles.map((r, i) => (
          <Checkbox
            key={r.key}
            id={i === 0 ? id : `${id}-${r.key}`}
            name="roles"
            value={r.key}
            checked={chosen.includes(r.key)}
            onChange={(e) => setChosen(e.target.checked ? [...chosen, r.key] : chosen.filter((k) => k !== r.key))}
          >
            {lang === 'ja' ? r.label : r.label_en}
            {r.privileged && <span className="muted small">（{t.privilegedRole}）</span>}
          </Checkbox>
        ))}
      </div>
    </Fieldset>
  )
}

function DisableDialog({ account, onClose, onDone }: { account: Account; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useApp()
  const [reason, setReason] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [status, setStatus] = useState<{ status: 'processing' } | { status: 'error'; text: string } | undefined>()
  useFocusFirstInvalid(attempt, errors, ['reason'], () => 'disable-reason')
  const submit = async () => {
    if (reason.trim() === '') {
      setErrors({ reason: [t.requiredField] })
      setStatus(undefined)
      setAttempt((n) => n + 1)
      return
    }
    setStatus({ status: 'processing' })
    try {
      await api.post(`/api/accounts/${account.id}/disable`, { reason: reason.trim() })
      onDone()
    } catch (e) {
      const fe = isApiError(e, 422) ? fieldErrors(e, lang, ['reason']) : {}
      setErrors(fe.reason ? { reason: fe.reason } : {})
      setStatus(fe.reason ? undefined : { status: 'error', text: errorMessage(e, t, lang) })
      setAttempt((n) => n + 1)
    }
  }
  return (
    <FormDialog
      isOpen
      title={t.disable}
      actionText={t.disableAction}
      actionTheme="danger"
      responseStatus={status}
      decorators={{ closeButtonLabel: () => t.cancel }}
      onClickClose={onClose}
      onSubmit={submit}
    >
      <Stack gap={1}>
        <Text as="p">{fmt(t.disableBody, { login: account.login })}</Text>
        <FormControl
          label={{ text: t.disableReason, htmlFor: 'disable-reason' }}
          statusLabels={<RequiredLabel />}
          helpMessage={t.disableReasonHelp}
          errorMessages={errors.reason}
        >
          <Textarea id="disable-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLetters={200} rows={3} width="100%" />
        </FormControl>
      </Stack>
    </FormDialog>
  )
}

function RolesDialog({ account, onClose, onDone }: { account: Account; onClose: () => void; onDone: () => void }) {
  const { t, lang, roles } = useApp()
  const [chosen, setChosen] = useState<string[]>(account.roles)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [status, setStatus] = useState<{ status: 'processing' } | { status: 'error'; text: string } | undefined>()
  const submit = async () => {
    setStatus({ status: 'processing' })
    try {
      await api.put(`/api/accounts/${account.id}/roles`, { roles: chosen })
      onDone()
    } catch (e) {
      const fe = isApiError(e, 422) ? fieldErrors(e, lang, ['roles']) : {}
      setErrors(fe.roles ? { roles: fe.roles } : {})
      setStatus({ status: 'error', text: fe.roles ? t.formHasErrors : errorMessage(e, t, lang) })
    }
  }
  return (
    <FormDialog
      isOpen
      title={`${t.changeRoles}（${account.login}）`}
      actionText={t.changeRolesAction}
      responseStatus={status}
      decorators={{ closeButtonLabel: () => t.cancel }}
      onClickClose={onClose}
      onSubmit={submit}
    >
      <RoleChoices id="roles-edit" roles={roles} chosen={chosen} setChosen={setChosen} errors={errors.roles} lang={lang} />
    </FormDialog>
  )
}
