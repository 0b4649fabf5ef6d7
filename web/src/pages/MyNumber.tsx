// マイナンバー (特定個人情報): the guide and the report of a number received by mistake (everyone), the
// masked subject list (handler, manager, auditor), registering a subject with its number and 本人確認,
// a subject's page (showing the number for a purpose, for 30 seconds; corrections; the deletion request
// with its second confirmation) and the export (handler). The manager's pages are in MyNumberManage.tsx.
// docs/internals/vault.md is the API. A number typed or shown is never put in the URL, never logged, and
// never kept in React state longer than it is on screen; the number field is uncontrolled, so its value
// never becomes an attribute of the page's HTML.
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import {
  AnchorButton,
  Base,
  Button,
  Checkbox,
  Cluster,
  DefinitionList,
  DefinitionListItem,
  Fieldset,
  FormControl,
  FormDialog,
  Heading,
  InformationPanel,
  Input,
  Loader,
  NotificationBar,
  Pagination,
  RadioButton,
  RequiredLabel,
  Section,
  Select,
  Stack,
  Table,
  TableReel,
  Td,
  Text,
  Textarea,
  TextLink,
  Th,
} from 'smarthr-ui'
import { api, isApiError } from '../api'
import { roleLabel, type Person } from '../auth'
import { CopyButton, errorMessage, FormErrorSummary, LoadError, useFocusFirstInvalid } from '../components'
import { useApp } from '../context'
import { fieldErrors, type FieldErrors } from '../forms'
import { fmt, type MessageKey, type Messages } from '../i18n'
import {
  base64ToBytes,
  checkNumber,
  corporateAllowed,
  deletionConfirmErrors,
  emptySubjectQuery,
  groupNumber,
  IDENTITY_DOCUMENTS,
  keepFitting,
  maskedTail,
  maskedText,
  normaliseNumber,
  NUMBER_DOCUMENTS,
  parseSubjectQuery,
  purposeLabel,
  purposesForKind,
  REVEAL_SECONDS,
  SUBJECT_KINDS,
  SUBJECT_STATES,
  subjectsHash,
  subjectsPath,
  SUBJECTS_PER_PAGE,
  textHasMyNumber,
  type NumberCheck,
  type Purpose,
  type Subject,
  type SubjectKind,
  type SubjectPage,
} from '../mynumber'
import { pageCount, rowRange } from '../registers'
import type { MyNumberView } from '../routes'
import { useGet } from './Ledgers'
import { GrantsView, MistakesView, QueueView, RecordsView, ReportView, RequestsView, ScopesView } from './MyNumberManage'
import { IdentityDocuments } from './MyNumberDocuments'
import {
  documentText,
  KIND_LABEL,
  kindText,
  MyNumberFrame,
  STATE_LABEL,
  StateLabel,
  useAbilities,
  usePurposes,
  viewShown,
  whenText,
} from './MyNumberCommon'

type Status = { status: 'processing' } | { status: 'error'; text: string } | undefined

/** #/mynumber/...: the view the route names, or the guide when it is not for this account. */
export function MyNumberPage({ view, query }: { view: MyNumberView; query: string }) {
  const abilities = useAbilities()
  // Without a list of their own (most people), #/mynumber is the guide and the report form.
  if (!viewShown(view, abilities)) return <AboutView />
  switch (view) {
    case 'subjects':
      return <SubjectsView query={query} />
    case 'new':
      return <NewSubjectView />
    case 'export':
      return <ExportView />
    case 'queue':
      return <QueueView />
    case 'scopes':
      return <ScopesView />
    case 'grants':
      return <GrantsView />
    case 'mistakes':
      return <MistakesView />
    case 'report':
      return <ReportView query={query} />
    case 'records':
      return <RecordsView />
    case 'requests':
      return <RequestsView />
    default:
      return <AboutView />
  }
}

// ---- the guide and the report of a number received by mistake (everyone) ----

function AboutView() {
  const { t, lang, session, roles } = useApp()
  const mine = (session?.account.roles ?? []).filter((r) => ['mynumber_handler', 'mynumber_manager', 'auditor', 'sysadmin'].includes(r))
  return (
    <MyNumberFrame view="about" title={t.navMyNumber}>
      <Text as="p">{t.mnAboutLead}</Text>
      <Section>
        <Base padding={1.5} className="card">
          <Stack gap={0.75}>
            <Heading>{t.mnAboutWhoHeading}</Heading>
            <ul className="mn-roles">
              <li>
                <strong>{roleLabel('mynumber_handler', roles, lang)}</strong>
                {t.labelSeparator}
                {t.mnAboutHandler}
              </li>
              <li>
                <strong>{roleLabel('mynumber_manager', roles, lang)}</strong>
                {t.labelSeparator}
                {t.mnAboutManager}
              </li>
              <li>
                <strong>{roleLabel('auditor', roles, lang)}</strong>
                {t.labelSeparator}
                {t.mnAboutAuditor}
              </li>
              <li>
                <strong>{roleLabel('sysadmin', roles, lang)}</strong>
                {t.labelSeparator}
                {t.mnAboutItStaff}
              </li>
            </ul>
            <Text as="p">{t.mnAboutOthers}</Text>
            {mine.length > 0 && (
              <Text as="p" size="S" color="TEXT_GREY">
                {fmt(t.mnAboutYourRoles, { roles: mine.map((r) => roleLabel(r, roles, lang)).join(lang === 'ja' ? '、' : ', ') })}
              </Text>
            )}
          </Stack>
        </Base>
      </Section>
      <MistakeReportForm />
    </MyNumberFrame>
  )
}

function MistakeReportForm() {
  const { t, lang } = useApp()
  const [description, setDescription] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [busy, setBusy] = useState(false)
  const [sent, setSent] = useState(false)
  useFocusFirstInvalid(attempt, errors, ['description'], () => 'mn-mistake-description', 'mn-mistake-errors')

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy) return
    const local: FieldErrors = {}
    if (description.trim() === '') local.description = [t.requiredField]
    else if (textHasMyNumber(description)) local.description = [t.mnMistakeHasNumber]
    if (Object.keys(local).length) {
      setErrors(local)
      setAttempt((n) => n + 1)
      return
    }
    setBusy(true)
    setSent(false)
    try {
      await api.post('/api/mynumber/mistakes', { description: description.trim() })
      setDescription('')
      setErrors({})
      setSent(true)
    } catch (err) {
      const fe = isApiError(err, 422) ? fieldErrors(err, lang, ['description']) : {}
      if (Object.keys(fe).length === 0) fe[''] = [errorMessage(err, t, lang)]
      setErrors(fe)
      setAttempt((n) => n + 1)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Section>
      <Base padding={1.5} className="card">
        <form onSubmit={submit} noValidate aria-labelledby="mn-mistake-heading">
          <Stack gap={1}>
            <Heading id="mn-mistake-heading">{t.mnMistakeHeading}</Heading>
            <Text as="p">{t.mnMistakeLead}</Text>
            <InformationPanel title={t.mnMistakeDoNotTitle} type="warning" toggleable={false}>
              <ul className="mn-rules">
                <li>{t.mnMistakeDoNotDelete}</li>
                <li>{t.mnMistakeNoNumber}</li>
              </ul>
            </InformationPanel>
            <FormErrorSummary id="mn-mistake-errors" messages={errors['']} />
            <FormControl
              label={{ text: t.mnMistakeDescription, htmlFor: 'mn-mistake-description' }}
              statusLabels={<RequiredLabel />}
              helpMessage={t.mnMistakeDescriptionHelp}
              errorMessages={errors.description}
            >
              <Textarea
                id="mn-mistake-description"
                name="description"
                value={description}
                onChange={(e) => {
                  setDescription(e.target.value)
                  setSent(false)
                }}
                maxLetters={1000}
                rows={5}
                width="100%"
                autoComplete="off"
              />
            </FormControl>
            <div>
              <Button type="submit" variant="primary" loading={busy}>
                {t.mnMistakeSubmit}
              </Button>
            </div>
            <div role="status" aria-live="polite">
              {sent && <NotificationBar type="success">{t.mnMistakeSent}</NotificationBar>}
            </div>
          </Stack>
        </form>
      </Base>
    </Section>
  )
}

// ---- the subject list (masked) ----

function SubjectsView({ query }: { query: string }) {
  const { t, lang } = useApp()
  const abilities = useAbilities()
  const state = useMemo(() => parseSubjectQuery(query), [query])
  // IT staff may list only while the manager's grant is in force, which only the server knows: the
  // list is asked for when they choose to open it (each refusal is audited), never on arrival.
  const [opened, setOpened] = useState(abilities.list)
  const { data, error, loading, reload } = useGet<SubjectPage>(opened ? subjectsPath(state) : null)
  const { purposes } = usePurposes(opened)
  const [qInput, setQInput] = useState(state.q)
  useEffect(() => setQInput(state.q), [state.q])
  const conditions = state.q !== '' || state.kind !== '' || state.state !== ''
  const go = (next: typeof state) => {
    location.hash = subjectsHash(next)
  }
  const total = data?.total ?? 0
  const perPage = data?.per_page || SUBJECTS_PER_PAGE
  const range = rowRange(total, state.page, perPage)
  const pages = pageCount(total, perPage)
  const itNoGrant = abilities.itStaff && !abilities.list && (isApiError(error, 403) || isApiError(error, 404))

  return (
    <MyNumberFrame
      view="subjects"
      title={t.mnSubjectsHeading}
      actions={
        abilities.collect && (
          <AnchorButton href="#/mynumber/new" variant="primary" size="s">
            {t.mnNavNew}
          </AnchorButton>
        )
      }
    >
      {!opened ? (
        <InformationPanel title={t.mnItTitle} type="info" toggleable={false}>
          <Stack gap={0.75}>
            <Text as="p">{t.mnItLead}</Text>
            <div>
              <Button size="s" onClick={() => setOpened(true)}>
                {t.mnItOpen}
              </Button>
            </div>
          </Stack>
        </InformationPanel>
      ) : itNoGrant ? (
        <InformationPanel title={t.forbidden} type="warning" toggleable={false}>
          <Text as="p">{t.mnItNoGrant}</Text>
        </InformationPanel>
      ) : (
        <>
          <form
            role="search"
            aria-label={t.search}
            onSubmit={(e) => {
              e.preventDefault()
              go({ ...state, q: qInput, page: 1 })
            }}
          >
            <Cluster align="flex-end" gap={1}>
              <FormControl label={{ text: t.search, htmlFor: 'mn-q' }} helpMessage={t.mnSearchHelp}>
                <Input id="mn-q" name="q" type="search" autoComplete="off" value={qInput} onChange={(e) => setQInput(e.target.value)} width="16em" />
              </FormControl>
              <Button type="submit">{t.searchSubmit}</Button>
              <FormControl label={{ text: t.mnKind, htmlFor: 'mn-filter-kind' }}>
                <Select
                  id="mn-filter-kind"
                  name="kind"
                  size="s"
                  value={state.kind}
                  hasBlank
                  decorators={{ blankLabel: () => t.filterAll }}
                  options={SUBJECT_KINDS.map((k) => ({ value: k, label: t[KIND_LABEL[k]] }))}
                  onChangeValue={(v) => go({ ...state, q: qInput, page: 1, kind: v as SubjectKind | '' })}
                />
              </FormControl>
              <FormControl label={{ text: t.state, htmlFor: 'mn-filter-state' }}>
                <Select
                  id="mn-filter-state"
                  name="state"
                  size="s"
                  value={state.state}
                  hasBlank
                  decorators={{ blankLabel: () => t.filterAll }}
                  options={SUBJECT_STATES.map((s) => ({ value: s, label: t[STATE_LABEL[s].label] }))}
                  onChangeValue={(v) => go({ ...state, q: qInput, page: 1, state: v as typeof state.state })}
                />
              </FormControl>
              {conditions && (
                <div className="ledger-clear">
                  <TextLink href={subjectsHash(emptySubjectQuery())}>{t.clearConditions}</TextLink>
                </div>
              )}
            </Cluster>
          </form>
          {error !== null ? (
            <LoadError error={error} retry={reload} />
          ) : data === null ? (
            <Loader size="s" text={t.loading} />
          ) : (
            <Stack gap={0.75}>
              <Cluster align="center" justify="space-between">
                <Text size="S" color="TEXT_GREY" role="status" className="mn-count">
                  {total === 0 ? fmt(t.count, { count: 0 }) : fmt(data?.total_capped ? t.rowRangeCapped : t.rowRange, { total, from: range.from, to: range.to })}
                </Text>
                <Text size="S" color="TEXT_GREY">
                  {t.mnMaskedNote}
                </Text>
              </Cluster>
              <Base className="table-base">
                <TableReel>
                  <Table className="data-table mn-subjects" aria-label={t.mnSubjectsHeading} aria-busy={loading || undefined}>
                    <thead>
                      <tr>
                        <Th align="right">{t.mnId}</Th>
                        <Th>{t.mnKind}</Th>
                        <Th>{t.personName}</Th>
                        <Th>{t.nameKana}</Th>
                        <Th>{t.mnNumber}</Th>
                        <Th>{t.mnPurposes}</Th>
                        <Th>{t.state}</Th>
                        <Th>{t.mnRetentionEnd}</Th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.items.length === 0 ? (
                        <tr>
                          <Td colSpan={8}>{conditions ? t.noMatches : t.mnSubjectsEmpty}</Td>
                        </tr>
                      ) : (
                        data.items.map((s) => (
                          <tr key={s.id} data-subject={s.id} data-state={s.state}>
                            <Td align="right" className="nowrap">
                              {s.id}
                            </Td>
                            <Td className="nowrap">{kindText(t, s.kind)}</Td>
                            <Td className="nowrap">
                              <TextLink href={`#/mynumber/subjects/${s.id}`}>{s.name || `#${s.id}`}</TextLink>
                            </Td>
                            <Td className="nowrap">{s.name_kana || '—'}</Td>
                            <Td className="nowrap">
                              <span className="mono mn-masked">{maskedText(s.masked)}</span>
                            </Td>
                            <Td>{purposesText(s.purposes, purposes ?? [], lang)}</Td>
                            <Td className="nowrap">
                              <StateLabel state={s.state} />
                            </Td>
                            <Td className="nowrap">{whenText(s.retention_end)}</Td>
                          </tr>
                        ))
                      )}
                    </tbody>
                  </Table>
                </TableReel>
              </Base>
              {pages > 1 && <Pagination total={pages} current={Math.min(state.page, pages)} hrefTemplate={(n) => subjectsHash({ ...state, page: n })} />}
            </Stack>
          )}
        </>
      )}
    </MyNumberFrame>
  )
}

function purposesText(codes: readonly string[] | undefined, purposes: readonly Purpose[], lang: 'ja' | 'en'): string {
  if (!codes || codes.length === 0) return '—'
  return codes.map((c) => purposeLabel(c, purposes, lang)).join(lang === 'ja' ? '、' : ', ')
}

// ---- the number field and its live indicator ----

const CHECK_TONE: Record<NumberCheck['status'], 'neutral' | 'error' | 'ok'> = {
  empty: 'neutral',
  short: 'neutral',
  not_digits: 'error',
  long: 'error',
  invalid: 'error',
  valid: 'ok',
}

function checkText(t: Messages, c: NumberCheck, corporate: boolean): string {
  switch (c.status) {
    case 'empty':
      return corporate ? t.mnCheckEmptyCorporate : t.mnCheckEmpty
    case 'short':
      return fmt(t.mnCheckShort, { count: c.count, expected: c.expected })
    case 'long':
      return fmt(t.mnCheckLong, { count: c.count, expected: c.expected })
    case 'not_digits':
      return t.mnCheckNotDigits
    case 'invalid':
      return c.kind === 'corporate' ? t.mnCheckInvalidCorporate : t.mnCheckInvalid
    case 'valid':
      return c.kind === 'corporate' ? t.mnCheckValidCorporate : t.mnCheckValid
  }
}

/**
 * The number, typed into a field that React does not control (its value stays in the DOM property,
 * never in an attribute, state or the URL); beside it, the check-digit indicator. A text field drawn
 * with discs rather than a password field: browsers offer to save password fields in their password
 * managers (often synced to a cloud), which must never happen to a My Number.
 */
function NumberField({
  id,
  label,
  inputRef,
  corporate,
  required,
  errors,
  help,
}: {
  id: string
  label: string
  inputRef: React.RefObject<HTMLInputElement | null>
  corporate: boolean
  required?: boolean
  errors?: string[]
  help?: string
}) {
  const { t } = useApp()
  const [check, setCheck] = useState<NumberCheck>({ status: 'empty' })
  // the kind may change after typing: check again with the new rule
  useEffect(() => setCheck(checkNumber(inputRef.current?.value ?? '', corporate)), [corporate, inputRef])
  const tone = CHECK_TONE[check.status]
  return (
    <FormControl
      label={{ text: label, htmlFor: id }}
      statusLabels={required ? <RequiredLabel /> : undefined}
      helpMessage={help ?? (corporate ? t.mnNumberHelpCorporate : t.mnNumberHelp)}
      errorMessages={errors}
      data-field="number"
    >
      <Stack gap={0.5}>
        <Input
          id={id}
          ref={inputRef}
          name="mn-number"
          type="text"
          autoComplete="off"
          data-1p-ignore
          data-lpignore="true"
          data-bwignore
          inputMode="numeric"
          spellCheck={false}
          autoCapitalize="none"
          className="mono mn-number-input"
          width="16em"
          onChange={(e) => setCheck(checkNumber(e.target.value, corporate))}
        />
        <p className="mn-check" data-check={check.status} data-tone={tone} role="status" aria-live="polite">
          <span aria-hidden="true" className="mn-check-mark">
            {tone === 'ok' ? '✓' : tone === 'error' ? '✗' : '…'}
          </span>{' '}
          {checkText(t, check, corporate)}
        </p>
      </Stack>
    </FormControl>
  )
}

// ---- registering a subject ----

const NEW_ORDER = ['kind', 'person_id', 'parent_id', 'name', 'name_kana', 'relation', 'purposes', 'number', 'number_document', 'identity_document'] as const
const newId = (f: string) => `mn-new-${f}`

/** The server's field names for the 本人確認 fields, as the form's. */
function formField(field: string): string {
  const f = field.replace(/^identity_check[./]?/, '')
  return f === '' ? 'number_document' : f
}

function mappedErrors(e: unknown, lang: 'ja' | 'en', known: readonly string[]): FieldErrors {
  if (!isApiError(e, 422)) return {}
  const out: FieldErrors = {}
  for (const [field, messages] of Object.entries(fieldErrors(e, lang))) {
    const f = formField(field)
    const key = known.includes(f) ? f : ''
    ;(out[key] ??= []).push(...messages)
  }
  return out
}

function NewSubjectView() {
  const { t, lang, permissions, notify } = useApp()
  const { purposes, error: purposesError } = usePurposes()
  const canPeople = permissions.has('people.read')
  const [people, setPeople] = useState<Person[] | null>(null)
  const [kind, setKind] = useState<SubjectKind | ''>('')
  const [personId, setPersonId] = useState('')
  const [parentId, setParentId] = useState('')
  const [name, setName] = useState('')
  const [kana, setKana] = useState('')
  const [relation, setRelation] = useState('')
  const [chosen, setChosen] = useState<string[]>([])
  const [numberDoc, setNumberDoc] = useState('')
  const [identityDoc, setIdentityDoc] = useState('')
  const numberRef = useRef<HTMLInputElement>(null)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [busy, setBusy] = useState(false)
  useFocusFirstInvalid(attempt, errors, NEW_ORDER, newId, 'mn-new-errors')
  const parents = useGet<SubjectPage>(kind === 'dependant' ? '/api/mynumber/subjects?kind=employee&state=active&per_page=200' : null)

  useEffect(() => {
    if (!canPeople) return
    const ctl = new AbortController()
    api
      .get<{ items: Person[] }>('/api/people', { signal: ctl.signal })
      .then((r) => setPeople(r.items))
      .catch(() => undefined)
    return () => ctl.abort()
  }, [canPeople])

  const fitting = useMemo(() => purposesForKind(purposes ?? [], kind), [purposes, kind])
  const changeKind = (v: string) => {
    const k = v as SubjectKind | ''
    setKind(k)
    setChosen((c) => keepFitting(c, purposes ?? [], k))
  }
  const choosePerson = (v: string) => {
    setPersonId(v)
    const p = people?.find((x) => String(x.id) === v)
    if (p) {
      if (name.trim() === '') setName(p.name)
      if (kana.trim() === '') setKana(p.name_kana)
    }
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy) return
    const local: FieldErrors = {}
    if (kind === '') local.kind = [t.requiredField]
    if (kind === 'employee' && personId.trim() === '') local.person_id = [t.requiredField]
    if (kind === 'dependant' && parentId === '') local.parent_id = [t.requiredField]
    if (name.trim() === '') local.name = [t.requiredField]
    if (kind === 'dependant' && relation.trim() === '') local.relation = [t.requiredField]
    if (kind !== '' && chosen.length === 0) local.purposes = [t.mnPurposesRequired]
    if ((numberDoc === '') !== (identityDoc === '')) local[numberDoc === '' ? 'number_document' : 'identity_document'] = [t.mnIdentityBoth]
    if (Object.keys(local).length) {
      local[''] = [t.formHasErrors]
      setErrors(local)
      setAttempt((n) => n + 1)
      return
    }
    const typed = numberRef.current?.value ?? ''
    const body: Record<string, unknown> = { kind, name: name.trim(), purposes: chosen }
    if (kind === 'employee' && personId.trim() !== '') body.person_id = Number(personId)
    if (kind === 'dependant' && parentId !== '') body.parent_id = Number(parentId)
    if (kana.trim() !== '') body.name_kana = kana.trim()
    if (kind === 'dependant' && relation.trim() !== '') body.relation = relation.trim()
    if (typed.trim() !== '') body.number = typed
    if (numberDoc !== '') body.identity_check = { number_document: numberDoc, identity_document: identityDoc }
    setBusy(true)
    try {
      await api.post<Subject>('/api/mynumber/subjects', body)
      if (numberRef.current) numberRef.current.value = ''
      notify((t) => t.mnCreated, 'success', '#/mynumber')
    } catch (err) {
      setBusy(false)
      const fe = mappedErrors(err, lang, NEW_ORDER)
      if (Object.keys(fe).length === 0) fe[''] = [errorMessage(err, t, lang)]
      else if (!fe['']) fe[''] = [t.formHasErrors]
      setErrors(fe)
      setAttempt((n) => n + 1)
    } finally {
      delete body.number
    }
  }

  const personOptions = (people ?? []).map((p) => ({ value: String(p.id), label: `${p.employee_no}　${p.name}` }))
  const parentOptions = (parents.data?.items ?? []).map((s) => ({ value: String(s.id), label: `${s.id}　${s.name}` }))

  return (
    <MyNumberFrame view="new" title={t.mnNewHeading}>
      <Text as="p">{t.mnNewLead}</Text>
      {purposesError !== null && <LoadError error={purposesError} retry={() => location.reload()} />}
      <Base padding={1.5} className="card">
        <form onSubmit={submit} noValidate aria-label={t.mnNewHeading} autoComplete="off">
          <Stack gap={1.25}>
            <FormErrorSummary id="mn-new-errors" messages={errors['']} />
            <FormControl label={{ text: t.mnKind, htmlFor: newId('kind') }} statusLabels={<RequiredLabel />} errorMessages={errors.kind}>
              <Select
                id={newId('kind')}
                name="kind"
                value={kind}
                onChangeValue={changeKind}
                hasBlank
                decorators={{ blankLabel: () => t.selectBlank }}
                options={SUBJECT_KINDS.map((k) => ({ value: k, label: t[KIND_LABEL[k]] }))}
              />
            </FormControl>
            {kind === 'employee' && (
              <FormControl
                label={{ text: t.mnPerson, htmlFor: newId('person_id') }}
                statusLabels={<RequiredLabel />}
                helpMessage={people ? t.mnPersonHelp : t.personNoList}
                errorMessages={errors.person_id}
              >
                {people ? (
                  <Select
                    id={newId('person_id')}
                    name="person_id"
                    value={personId}
                    onChangeValue={choosePerson}
                    hasBlank
                    decorators={{ blankLabel: () => t.selectBlank }}
                    options={personOptions}
                  />
                ) : (
                  <Input
                    id={newId('person_id')}
                    name="person_id"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    step={1}
                    value={personId}
                    onChange={(e) => setPersonId(e.target.value)}
                    width="10em"
                  />
                )}
              </FormControl>
            )}
            {kind === 'dependant' && (
              <FormControl
                label={{ text: t.mnParent, htmlFor: newId('parent_id') }}
                statusLabels={<RequiredLabel />}
                helpMessage={parents.data && parentOptions.length === 0 ? t.mnParentNone : t.mnParentHelp}
                errorMessages={errors.parent_id}
              >
                <Select
                  id={newId('parent_id')}
                  name="parent_id"
                  value={parentId}
                  onChangeValue={setParentId}
                  hasBlank
                  decorators={{ blankLabel: () => t.selectBlank }}
                  options={parentOptions}
                />
              </FormControl>
            )}
            <FormControl label={{ text: t.personName, htmlFor: newId('name') }} statusLabels={<RequiredLabel />} errorMessages={errors.name}>
              <Input id={newId('name')} name="name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} width="20em" />
            </FormControl>
            <FormControl label={{ text: t.nameKana, htmlFor: newId('name_kana') }} helpMessage={t.nameKanaHelp} errorMessages={errors.name_kana}>
              <Input id={newId('name_kana')} name="name_kana" autoComplete="off" value={kana} onChange={(e) => setKana(e.target.value)} width="20em" />
            </FormControl>
            {kind === 'dependant' && (
              <FormControl
                label={{ text: t.mnRelation, htmlFor: newId('relation') }}
                statusLabels={<RequiredLabel />}
                helpMessage={t.mnRelationHelp}
                errorMessages={errors.relation}
              >
                <Input id={newId('relation')} name="relation" autoComplete="off" value={relation} onChange={(e) => setRelation(e.target.value)} width="12em" />
              </FormControl>
            )}
            <PurposeChoices
              id={newId('purposes')}
              purposes={fitting}
              chosen={chosen}
              setChosen={setChosen}
              errors={errors.purposes}
              empty={kind === '' ? t.mnPurposesPickKind : purposes === null ? t.loading : t.mnPurposesNone}
            />
            <NumberField
              id={newId('number')}
              label={corporateAllowed(kind) ? t.mnNumberOrCorporate : t.mnNumber}
              inputRef={numberRef}
              corporate={corporateAllowed(kind)}
              errors={errors.number}
            />
            <IdentityCheckFields
              idOf={newId}
              numberDoc={numberDoc}
              identityDoc={identityDoc}
              setNumberDoc={setNumberDoc}
              setIdentityDoc={setIdentityDoc}
              errors={errors}
            />
            <Cluster gap={0.75}>
              <Button type="submit" variant="primary" loading={busy}>
                {t.mnCreate}
              </Button>
              <AnchorButton href="#/mynumber">{t.cancel}</AnchorButton>
            </Cluster>
          </Stack>
        </form>
      </Base>
    </MyNumberFrame>
  )
}

function PurposeChoices({
  id,
  purposes,
  chosen,
  setChosen,
  errors,
  empty,
}: {
  id: string
  purposes: readonly Purpose[]
  chosen: string[]
  setChosen: (f: (c: string[]) => string[]) => void
  errors?: string[]
  empty: string
}) {
  const { t, lang } = useApp()
  return (
    <Fieldset legend={t.mnPurposes} statusLabels={<RequiredLabel />} helpMessage={t.mnPurposesHelp} errorMessages={errors} data-field="purposes">
      {purposes.length === 0 ? (
        <Text as="p" size="S" color="TEXT_GREY" id={id} tabIndex={-1}>
          {empty}
        </Text>
      ) : (
        <div className="mn-purposes">
          {purposes.map((p, i) => (
            <Checkbox
              key={p.code}
              id={i === 0 ? id : `${id}-${p.code}`}
              name="purposes"
              value={p.code}
              checked={chosen.includes(p.code)}
              onChange={(e) => {
                const on = e.target.checked
                setChosen((c) => (on ? [...c.filter((x) => x !== p.code), p.code] : c.filter((x) => x !== p.code)))
              }}
            >
              {lang === 'en' ? p.label_en || p.label : p.label}
            </Checkbox>
          ))}
        </div>
      )}
    </Fieldset>
  )
}

function IdentityCheckFields({
  idOf,
  numberDoc,
  identityDoc,
  setNumberDoc,
  setIdentityDoc,
  errors,
  required,
}: {
  idOf: (f: string) => string
  numberDoc: string
  identityDoc: string
  setNumberDoc: (v: string) => void
  setIdentityDoc: (v: string) => void
  errors: FieldErrors
  required?: boolean
}) {
  const { t } = useApp()
  return (
    <Fieldset legend={t.mnIdentityHeading} helpMessage={t.mnIdentityHelp}>
      <Cluster gap={1.25} align="flex-start">
        <FormControl
          label={{ text: t.mnNumberDocument, htmlFor: idOf('number_document') }}
          statusLabels={required ? <RequiredLabel /> : undefined}
          errorMessages={errors.number_document}
        >
          <Select
            id={idOf('number_document')}
            name="number_document"
            value={numberDoc}
            onChangeValue={(v) => {
              setNumberDoc(v)
              // 個人番号カード proves both the number and the person
              if (v === 'individual_number_card' && identityDoc === '') setIdentityDoc('individual_number_card')
            }}
            hasBlank
            decorators={{ blankLabel: () => t.selectBlank }}
            options={NUMBER_DOCUMENTS.map((d) => ({ value: d, label: documentText(t, d) }))}
          />
        </FormControl>
        <FormControl
          label={{ text: t.mnIdentityDocument, htmlFor: idOf('identity_document') }}
          statusLabels={required ? <RequiredLabel /> : undefined}
          errorMessages={errors.identity_document}
        >
          <Select
            id={idOf('identity_document')}
            name="identity_document"
            value={identityDoc}
            onChangeValue={setIdentityDoc}
            hasBlank
            decorators={{ blankLabel: () => t.selectBlank }}
            options={IDENTITY_DOCUMENTS.map((d) => ({ value: d, label: documentText(t, d) }))}
          />
        </FormControl>
      </Cluster>
    </Fieldset>
  )
}

// ---- one subject ----

type Dialog = 'reveal' | 'identity' | 'number' | 'edit' | 'deletion' | null

export function SubjectPage({ id }: { id: number }) {
  const { t, lang, notify } = useApp()
  const abilities = useAbilities()
  const subjectGet = useGet<Subject>(`/api/mynumber/subjects/${id}`)
  const { purposes } = usePurposes()
  const [dialog, setDialog] = useState<Dialog>(null)
  const revealButton = useRef<HTMLButtonElement>(null)
  const [revealed, setRevealed] = useState<{ number: string; purpose: string } | null>(null)
  const subject = subjectGet.data
  const back = (
    <div>
      <TextLink href="#/mynumber">{t.mnBackToList}</TextLink>
    </div>
  )
  const hide = useCallback(() => {
    setRevealed(null)
  }, [])

  if (!abilities.list && !abilities.itStaff)
    return (
      <MyNumberFrame view="subjects" title={t.mnSubjectsHeading}>
        <Text as="p">{t.forbidden}</Text>
      </MyNumberFrame>
    )
  if (subjectGet.error !== null)
    return (
      <MyNumberFrame view="subjects" title={t.mnSubjectsHeading}>
        {isApiError(subjectGet.error, 404) ? <Text as="p">{t.mnSubjectNotFound}</Text> : <LoadError error={subjectGet.error} retry={subjectGet.reload} />}
        {back}
      </MyNumberFrame>
    )
  if (!subject)
    return (
      <MyNumberFrame view="subjects" title={t.mnSubjectsHeading}>
        <Loader size="s" text={t.loading} />
      </MyNumberFrame>
    )

  const active = subject.state === 'active'
  const hasNumber = !!subject.masked
  const close = () => setDialog(null)
  const done = (text: (t: Messages) => string) => {
    setDialog(null)
    notify(text, 'success')
    subjectGet.reload()
  }

  return (
    <MyNumberFrame view="subjects" title={fmt(t.mnSubjectHeading, { name: subject.name || `#${subject.id}` })}>
      {subject.state === 'deletion_requested' && <NotificationBar type="warning">{t.mnDeletionPendingNote}</NotificationBar>}
      {subject.state === 'deleted' && <NotificationBar type="info">{t.mnDeletedNote}</NotificationBar>}
      <Base padding={1.5} className="card">
        <Stack gap={1.25}>
          <DefinitionList maxColumns={2}>
            <DefinitionListItem term={t.mnId}>
              <span className="mn-subject-id">{subject.id}</span>
            </DefinitionListItem>
            <DefinitionListItem term={t.mnKind}>{kindText(t, subject.kind)}</DefinitionListItem>
            <DefinitionListItem term={t.personName}>{subject.name || '—'}</DefinitionListItem>
            <DefinitionListItem term={t.nameKana}>{subject.name_kana || '—'}</DefinitionListItem>
            {subject.kind === 'employee' && <DefinitionListItem term={t.mnPerson}>{subject.person_id ? `#${subject.person_id}` : '—'}</DefinitionListItem>}
            {subject.kind === 'dependant' && (
              <DefinitionListItem term={t.mnParent}>
                {subject.parent_id ? <TextLink href={`#/mynumber/subjects/${subject.parent_id}`}>{`#${subject.parent_id}`}</TextLink> : '—'}
              </DefinitionListItem>
            )}
            {subject.kind === 'dependant' && <DefinitionListItem term={t.mnRelation}>{subject.relation || '—'}</DefinitionListItem>}
            <DefinitionListItem term={t.mnPurposes}>{purposesText(subject.purposes, purposes ?? [], lang)}</DefinitionListItem>
            <DefinitionListItem term={t.mnNumberKind}>
              {subject.number_kind === 'corporate' ? t.mnNumberKindCorporate : subject.number_kind === 'individual' ? t.mnNumberKindIndividual : t.mnNoNumber}
            </DefinitionListItem>
            <DefinitionListItem term={t.mnNumber}>
              <span className="mono mn-masked">{maskedText(subject.masked)}</span>
            </DefinitionListItem>
            <DefinitionListItem term={t.state}>
              <StateLabel state={subject.state} />
            </DefinitionListItem>
            <DefinitionListItem term={t.mnUseEndedOn}>{whenText(subject.use_ended_on)}</DefinitionListItem>
            <DefinitionListItem term={t.mnRetentionEnd}>{whenText(subject.retention_end)}</DefinitionListItem>
            <DefinitionListItem term={t.createdAt}>{whenText(subject.created_at)}</DefinitionListItem>
            <DefinitionListItem term={t.updatedAt}>{whenText(subject.updated_at)}</DefinitionListItem>
          </DefinitionList>

          {abilities.reveal && active && hasNumber && (
            <RevealArea revealed={revealed} onHide={hide} buttonRef={revealButton} onOpen={() => setDialog('reveal')} />
          )}

          {abilities.collect && active && (
            <Cluster gap={0.75} justify="space-between">
              <Cluster gap={0.75}>
                <Button size="s" onClick={() => setDialog('edit')}>
                  {t.edit}
                </Button>
                <Button size="s" onClick={() => setDialog('identity')}>
                  {t.mnAddIdentityCheck}
                </Button>
                <Button size="s" onClick={() => setDialog('number')}>
                  {hasNumber ? t.mnCorrectNumber : t.mnSetNumber}
                </Button>
              </Cluster>
              <Button size="s" variant="danger" onClick={() => setDialog('deletion')}>
                {t.mnRequestDeletion}
              </Button>
            </Cluster>
          )}
        </Stack>
      </Base>

      <Section>
        <Stack gap={0.75}>
          <Heading>{t.mnIdentityChecks}</Heading>
          {(subject.identity_checks ?? []).length === 0 ? (
            <Text as="p">{t.mnIdentityChecksNone}</Text>
          ) : (
            <Base className="table-base">
              <TableReel>
                <Table className="data-table mn-identity-checks" aria-label={t.mnIdentityChecks}>
                  <thead>
                    <tr>
                      <Th>{t.mnNumberDocument}</Th>
                      <Th>{t.mnIdentityDocument}</Th>
                      <Th>{t.mnCheckedBy}</Th>
                      <Th>{t.mnCheckedAt}</Th>
                    </tr>
                  </thead>
                  <tbody>
                    {(subject.identity_checks ?? []).map((c, i) => (
                      <tr key={i}>
                        <Td>{documentText(t, c.number_document)}</Td>
                        <Td>{documentText(t, c.identity_document)}</Td>
                        <Td className="nowrap">{c.checked_by || '—'}</Td>
                        <Td className="nowrap">{whenText(c.checked_at)}</Td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
              </TableReel>
            </Base>
          )}
          <IdentityDocuments subjectId={subject.id} canCollect={abilities.collect && active} checks={(subject.identity_checks ?? []).length} />
        </Stack>
      </Section>
      {back}

      {dialog === 'reveal' && (
        <RevealDialog
          subject={subject}
          purposes={purposes ?? []}
          onClose={() => {
            close()
            revealButton.current?.focus()
          }}
          onRevealed={(number, purpose) => {
            setDialog(null)
            setRevealed({ number, purpose })
          }}
        />
      )}
      {dialog === 'identity' && <IdentityCheckDialog subject={subject} onClose={close} onDone={() => done((t) => t.mnIdentityCheckSaved)} />}
      {dialog === 'number' && (
        <NumberDialog subject={subject} onClose={close} onDone={() => done((t) => (hasNumber ? t.mnNumberCorrected : t.mnNumberSet))} />
      )}
      {dialog === 'edit' && <EditDialog subject={subject} purposes={purposes ?? []} onClose={close} onDone={() => done((t) => t.recordSaved)} />}
      {dialog === 'deletion' && <DeletionDialog subject={subject} onClose={close} onDone={() => done((t) => t.mnDeletionRequested)} />}
    </MyNumberFrame>
  )
}

/**
 * 「番号を表示」 and, once a purpose was given, the number for REVEAL_SECONDS. The number lives only in
 * the parent's state while shown; it goes at the end of the time, on 「隠す」, when the tab is hidden
 * and when the page is left.
 */
function RevealArea({
  revealed,
  onHide,
  buttonRef,
  onOpen,
}: {
  revealed: { number: string; purpose: string } | null
  onHide: () => void
  buttonRef: React.RefObject<HTMLButtonElement | null>
  onOpen: () => void
}) {
  const { t } = useApp()
  const [left, setLeft] = useState(REVEAL_SECONDS)
  const regionRef = useRef<HTMLDivElement>(null)
  const shown = revealed !== null
  useEffect(() => {
    if (!shown) return
    const until = Date.now() + REVEAL_SECONDS * 1000
    setLeft(REVEAL_SECONDS)
    regionRef.current?.focus()
    const tick = setInterval(() => setLeft(Math.max(0, Math.ceil((until - Date.now()) / 1000))), 1000)
    const end = setTimeout(() => {
      const inside = regionRef.current?.contains(document.activeElement) ?? false
      onHide()
      if (inside) buttonRef.current?.focus()
    }, REVEAL_SECONDS * 1000)
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') onHide()
    }
    document.addEventListener('visibilitychange', onVisibility)
    return () => {
      clearInterval(tick)
      clearTimeout(end)
      document.removeEventListener('visibilitychange', onVisibility)
    }
  }, [shown, onHide, buttonRef])
  // leaving the page takes the number with it
  useEffect(() => () => onHide(), [onHide])

  return (
    <div className="mn-reveal-area">
      {revealed ? (
        <div ref={regionRef} className="mn-reveal" data-state="shown" tabIndex={-1} role="group" aria-labelledby="mn-reveal-label">
          <Cluster align="center" gap={1}>
            <span id="mn-reveal-label" className="mn-reveal-label">
              {t.mnRevealShown}
            </span>
            <span className="mono mn-reveal-number" data-testid="mn-reveal-number">
              {groupNumber(revealed.number)}
            </span>
            <span className="mn-reveal-left" aria-live="off">
              {fmt(t.mnRevealCountdown, { seconds: left })}
            </span>
            <Button
              size="s"
              onClick={() => {
                onHide()
                buttonRef.current?.focus()
              }}
            >
              {t.mnRevealHide}
            </Button>
          </Cluster>
        </div>
      ) : (
        <Cluster align="center" gap={0.75}>
          <Button size="s" ref={buttonRef} onClick={onOpen} className="mn-reveal-button">
            {t.mnReveal}
          </Button>
          <Text size="S" color="TEXT_GREY">
            {fmt(t.mnRevealHelp, { seconds: REVEAL_SECONDS })}
          </Text>
        </Cluster>
      )}
    </div>
  )
}

function RevealDialog({
  subject,
  purposes,
  onClose,
  onRevealed,
}: {
  subject: Subject
  purposes: Purpose[]
  onClose: () => void
  onRevealed: (number: string, purpose: string) => void
}) {
  const { t, lang } = useApp()
  const [purpose, setPurpose] = useState(subject.purposes.length === 1 ? subject.purposes[0] : '')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [status, setStatus] = useState<Status>()
  useFocusFirstInvalid(attempt, errors, ['purpose'], () => 'mn-reveal-purpose')
  const submit = async () => {
    if (purpose === '') {
      setErrors({ purpose: [t.requiredField] })
      setStatus(undefined)
      setAttempt((n) => n + 1)
      return
    }
    setStatus({ status: 'processing' })
    try {
      const r = await api.post<{ number: string; purpose: string }>(`/api/mynumber/subjects/${subject.id}/reveal`, { purpose })
      onRevealed(r.number, r.purpose ?? purpose)
    } catch (e) {
      const fe = mappedErrors(e, lang, ['purpose'])
      setErrors(fe.purpose ? { purpose: fe.purpose } : {})
      setStatus(fe.purpose ? undefined : { status: 'error', text: errorMessage(e, t, lang) })
      setAttempt((n) => n + 1)
    }
  }
  return (
    <FormDialog
      isOpen
      title={t.mnRevealTitle}
      actionText={t.mnRevealAction}
      responseStatus={status}
      decorators={{ closeButtonLabel: () => t.cancel }}
      onClickClose={onClose}
      onSubmit={submit}
    >
      <Stack gap={1}>
        <Text as="p">{fmt(t.mnRevealLead, { name: subject.name, seconds: REVEAL_SECONDS })}</Text>
        <FormControl
          label={{ text: t.mnRevealPurpose, htmlFor: 'mn-reveal-purpose' }}
          statusLabels={<RequiredLabel />}
          helpMessage={t.mnRevealPurposeHelp}
          errorMessages={errors.purpose}
        >
          <Select
            id="mn-reveal-purpose"
            name="purpose"
            value={purpose}
            onChangeValue={setPurpose}
            hasBlank
            decorators={{ blankLabel: () => t.selectBlank }}
            options={subject.purposes.map((c) => ({ value: c, label: purposeLabel(c, purposes, lang) }))}
          />
        </FormControl>
      </Stack>
    </FormDialog>
  )
}

function IdentityCheckDialog({ subject, onClose, onDone }: { subject: Subject; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useApp()
  const [numberDoc, setNumberDoc] = useState('')
  const [identityDoc, setIdentityDoc] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [status, setStatus] = useState<Status>()
  const order = ['number_document', 'identity_document']
  const idOf = (f: string) => `mn-check-${f}`
  useFocusFirstInvalid(attempt, errors, order, idOf)
  const submit = async () => {
    const local: FieldErrors = {}
    if (numberDoc === '') local.number_document = [t.requiredField]
    if (identityDoc === '') local.identity_document = [t.requiredField]
    if (Object.keys(local).length) {
      setErrors(local)
      setStatus(undefined)
      setAttempt((n) => n + 1)
      return
    }
    setStatus({ status: 'processing' })
    try {
      await api.post(`/api/mynumber/subjects/${subject.id}/identity-checks`, { number_document: numberDoc, identity_document: identityDoc })
      onDone()
    } catch (e) {
      const fe = mappedErrors(e, lang, order)
      const other = fe['']
      delete fe['']
      setErrors(fe)
      setStatus(Object.keys(fe).length && !other ? undefined : { status: 'error', text: other?.join(' ') ?? errorMessage(e, t, lang) })
      setAttempt((n) => n + 1)
    }
  }
  return (
    <FormDialog
      isOpen
      size="M"
      title={t.mnAddIdentityCheck}
      actionText={t.mnRecordAction}
      responseStatus={status}
      decorators={{ closeButtonLabel: () => t.cancel }}
      onClickClose={onClose}
      onSubmit={submit}
    >
      <IdentityCheckFields
        idOf={idOf}
        numberDoc={numberDoc}
        identityDoc={identityDoc}
        setNumberDoc={setNumberDoc}
        setIdentityDoc={setIdentityDoc}
        errors={errors}
        required
      />
    </FormDialog>
  )
}

function NumberDialog({ subject, onClose, onDone }: { subject: Subject; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useApp()
  const numberRef = useRef<HTMLInputElement>(null)
  const [reason, setReason] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [status, setStatus] = useState<Status>()
  const order = ['number', 'reason']
  const idOf = (f: string) => `mn-correct-${f}`
  useFocusFirstInvalid(attempt, errors, order, idOf)
  const correcting = !!subject.masked
  const submit = async () => {
    const typed = numberRef.current?.value ?? ''
    const local: FieldErrors = {}
    if (typed.trim() === '') local.number = [t.requiredField]
    if (reason.trim() === '') local.reason = [t.requiredField]
    if (Object.keys(local).length) {
      setErrors(local)
      setStatus(undefined)
      setAttempt((n) => n + 1)
      return
    }
    setStatus({ status: 'processing' })
    try {
      await api.put(`/api/mynumber/subjects/${subject.id}/number`, { number: typed, reason: reason.trim() })
      if (numberRef.current) numberRef.current.value = ''
      onDone()
    } catch (e) {
      const fe = mappedErrors(e, lang, order)
      const other = fe['']
      delete fe['']
      setErrors(fe)
      setStatus(Object.keys(fe).length && !other ? undefined : { status: 'error', text: other?.join(' ') ?? errorMessage(e, t, lang) })
      setAttempt((n) => n + 1)
    }
  }
  return (
    <FormDialog
      isOpen
      size="M"
      title={correcting ? t.mnCorrectNumber : t.mnSetNumber}
      actionText={t.mnRecordAction}
      responseStatus={status}
      decorators={{ closeButtonLabel: () => t.cancel }}
      onClickClose={onClose}
      onSubmit={submit}
    >
      <Stack gap={1.25}>
        <Text as="p">{correcting ? t.mnCorrectLead : t.mnSetNumberLead}</Text>
        <NumberField
          id={idOf('number')}
          label={correcting ? t.mnNewNumber : corporateAllowed(subject.kind) ? t.mnNumberOrCorporate : t.mnNumber}
          inputRef={numberRef}
          corporate={corporateAllowed(subject.kind)}
          required
          errors={errors.number}
        />
        <FormControl label={{ text: t.mnCorrectReason, htmlFor: idOf('reason') }} statusLabels={<RequiredLabel />} errorMessages={errors.reason}>
          <Textarea id={idOf('reason')} value={reason} onChange={(e) => setReason(e.target.value)} maxLetters={200} rows={2} width="100%" />
        </FormControl>
      </Stack>
    </FormDialog>
  )
}

function EditDialog({ subject, purposes, onClose, onDone }: { subject: Subject; purposes: Purpose[]; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useApp()
  const [name, setName] = useState(subject.name)
  const [kana, setKana] = useState(subject.name_kana ?? '')
  const [relation, setRelation] = useState(subject.relation ?? '')
  const [chosen, setChosen] = useState<string[]>(subject.purposes)
  const [ended, setEnded] = useState(subject.use_ended_on ?? '')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [status, setStatus] = useState<Status>()
  const order = ['name', 'name_kana', 'relation', 'purposes', 'use_ended_on']
  const idOf = (f: string) => `mn-edit-${f}`
  useFocusFirstInvalid(attempt, errors, order, idOf)
  const submit = async () => {
    const body: Record<string, unknown> = {}
    if (name.trim() !== subject.name) body.name = name.trim()
    if (kana.trim() !== (subject.name_kana ?? '')) body.name_kana = kana.trim() === '' ? null : kana.trim()
    if (subject.kind === 'dependant' && relation.trim() !== (subject.relation ?? '')) body.relation = relation.trim() === '' ? null : relation.trim()
    if ([...chosen].sort().join() !== [...subject.purposes].sort().join()) body.purposes = chosen
    if (ended !== (subject.use_ended_on ?? '')) body.use_ended_on = ended === '' ? null : ended
    if (Object.keys(body).length === 0) {
      onClose()
      return
    }
    setStatus({ status: 'processing' })
    try {
      await api.patch(`/api/mynumber/subjects/${subject.id}`, body)
      onDone()
    } catch (e) {
      const fe = mappedErrors(e, lang, order)
      const other = fe['']
      delete fe['']
      setErrors(fe)
      setStatus(Object.keys(fe).length && !other ? { status: 'error', text: t.formHasErrors } : { status: 'error', text: other?.join(' ') ?? errorMessage(e, t, lang) })
      setAttempt((n) => n + 1)
    }
  }
  return (
    <FormDialog
      isOpen
      size="M"
      title={t.mnEditTitle}
      actionText={t.save}
      responseStatus={status}
      decorators={{ closeButtonLabel: () => t.cancel }}
      onClickClose={onClose}
      onSubmit={submit}
    >
      <Stack gap={1.25}>
        <FormControl label={{ text: t.personName, htmlFor: idOf('name') }} statusLabels={<RequiredLabel />} errorMessages={errors.name}>
          <Input id={idOf('name')} autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} width="20em" />
        </FormControl>
        <FormControl label={{ text: t.nameKana, htmlFor: idOf('name_kana') }} errorMessages={errors.name_kana}>
          <Input id={idOf('name_kana')} autoComplete="off" value={kana} onChange={(e) => setKana(e.target.value)} width="20em" />
        </FormControl>
        {subject.kind === 'dependant' && (
          <FormControl label={{ text: t.mnRelation, htmlFor: idOf('relation') }} errorMessages={errors.relation}>
            <Input id={idOf('relation')} autoComplete="off" value={relation} onChange={(e) => setRelation(e.target.value)} width="12em" />
          </FormControl>
        )}
        <PurposeChoices
          id={idOf('purposes')}
          purposes={purposesForKind(purposes, subject.kind)}
          chosen={chosen}
          setChosen={setChosen}
          errors={errors.purposes}
          empty={t.mnPurposesNone}
        />
        <FormControl label={{ text: t.mnUseEndedOn, htmlFor: idOf('use_ended_on') }} helpMessage={t.mnUseEndedOnHelp} errorMessages={errors.use_ended_on}>
          <Input id={idOf('use_ended_on')} type="date" value={ended} onChange={(e) => setEnded(e.target.value)} width="12em" />
        </FormControl>
      </Stack>
    </FormDialog>
  )
}

const DELETION_ORDER = ['confirm_id', 'confirm_last4', 'reason']
const deletionId = (f: string) => `mn-delete-${f}`

/** The deletion request, confirmed a second time: the subject's id and the last four digits typed again. */
function DeletionDialog({ subject, onClose, onDone }: { subject: Subject; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useApp()
  const [confirmId, setConfirmId] = useState('')
  const [last4, setLast4] = useState('')
  const [reason, setReason] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [status, setStatus] = useState<Status>()
  useFocusFirstInvalid(attempt, errors, DELETION_ORDER, deletionId)
  const hasNumber = maskedTail(subject.masked) !== ''
  const submit = async () => {
    const wrong = deletionConfirmErrors(subject, confirmId, last4, reason)
    if (Object.keys(wrong).length) {
      const local: FieldErrors = {}
      for (const [f, key] of Object.entries(wrong)) local[f] = [t[key as MessageKey]]
      setErrors(local)
      setStatus(undefined)
      setAttempt((n) => n + 1)
      return
    }
    setStatus({ status: 'processing' })
    try {
      await api.post(`/api/mynumber/subjects/${subject.id}/deletion`, {
        confirm_id: Number(normaliseNumber(confirmId)),
        confirm_last4: normaliseNumber(last4),
        reason: reason.trim(),
      })
      onDone()
    } catch (e) {
      const fe = mappedErrors(e, lang, DELETION_ORDER)
      const other = fe['']
      delete fe['']
      setErrors(fe)
      setStatus(Object.keys(fe).length && !other ? undefined : { status: 'error', text: other?.join(' ') ?? errorMessage(e, t, lang) })
      setAttempt((n) => n + 1)
    }
  }
  return (
    <FormDialog
      isOpen
      size="M"
      title={t.mnDeletionTitle}
      actionText={t.mnDeletionAction}
      actionTheme="danger"
      responseStatus={status}
      decorators={{ closeButtonLabel: () => t.cancel }}
      onClickClose={onClose}
      onSubmit={submit}
    >
      <Stack gap={1.25}>
        <Text as="p">{fmt(t.mnDeletionLead, { name: subject.name })}</Text>
        <FormControl
          label={{ text: t.mnConfirmId, htmlFor: deletionId('confirm_id') }}
          statusLabels={<RequiredLabel />}
          helpMessage={fmt(t.mnConfirmIdHelp, { id: subject.id })}
          errorMessages={errors.confirm_id}
        >
          <Input
            id={deletionId('confirm_id')}
            inputMode="numeric"
            autoComplete="off"
            value={confirmId}
            onChange={(e) => setConfirmId(e.target.value)}
            width="8em"
          />
        </FormControl>
        {hasNumber && (
          <FormControl
            label={{ text: t.mnConfirmLast4, htmlFor: deletionId('confirm_last4') }}
            statusLabels={<RequiredLabel />}
            helpMessage={t.mnConfirmLast4Help}
            errorMessages={errors.confirm_last4}
          >
            <Input
              id={deletionId('confirm_last4')}
              inputMode="numeric"
              autoComplete="off"
              maxLength={8}
              value={last4}
              onChange={(e) => setLast4(e.target.value)}
              width="6em"
              className="mono"
            />
          </FormControl>
        )}
        <FormControl
          label={{ text: t.mnDeletionReason, htmlFor: deletionId('reason') }}
          statusLabels={<RequiredLabel />}
          helpMessage={t.mnDeletionReasonHelp}
          errorMessages={errors.reason}
        >
          <Textarea id={deletionId('reason')} value={reason} onChange={(e) => setReason(e.target.value)} maxLetters={200} rows={2} width="100%" />
        </FormControl>
      </Stack>
    </FormDialog>
  )
}

// ---- 出力 (export) ----

type ExportResult = { file: string; filename: string; password: string; takeout_id?: number | null; count?: number }

const EXPORT_ORDER = ['purpose', 'destination', 'subject_ids']
const exportId = (f: string) => `mn-export-${f}`

function ExportView() {
  const { t, lang } = useApp()
  const { purposes } = usePurposes()
  const [purpose, setPurpose] = useState('')
  const [destination, setDestination] = useState('')
  const [whom, setWhom] = useState<'all' | 'chosen'>('all')
  const [chosen, setChosen] = useState<number[]>([])
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<ExportResult | null>(null)
  useFocusFirstInvalid(attempt, errors, EXPORT_ORDER, exportId, 'mn-export-errors')
  const candidates = useGet<SubjectPage>(whom === 'chosen' ? '/api/mynumber/subjects?state=active&per_page=200' : null)
  const fitting = useMemo(() => (candidates.data?.items ?? []).filter((s) => s.masked && (purpose === '' || s.purposes.includes(purpose))), [candidates.data, purpose])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy) return
    const local: FieldErrors = {}
    if (purpose === '') local.purpose = [t.requiredField]
    if (destination.trim() === '') local.destination = [t.requiredField]
    if (whom === 'chosen' && chosen.length === 0) local.subject_ids = [t.mnExportChooseOne]
    if (Object.keys(local).length) {
      setErrors(local)
      setAttempt((n) => n + 1)
      return
    }
    setBusy(true)
    setResult(null)
    try {
      const body: Record<string, unknown> = { purpose, destination: destination.trim() }
      if (whom === 'chosen') body.subject_ids = chosen.filter((id) => fitting.some((s) => s.id === id))
      const r = await api.post<ExportResult>('/api/mynumber/export', body)
      setErrors({})
      setResult(r)
    } catch (err) {
      const fe = mappedErrors(err, lang, EXPORT_ORDER)
      if (Object.keys(fe).length === 0) fe[''] = [errorMessage(err, t, lang)]
      setErrors(fe)
      setAttempt((n) => n + 1)
    } finally {
      setBusy(false)
    }
  }

  if (result)
    return (
      <MyNumberFrame view="export" title={t.mnExportHeading}>
        <ExportDone result={result} onAgain={() => setResult(null)} />
      </MyNumberFrame>
    )

  return (
    <MyNumberFrame view="export" title={t.mnExportHeading}>
      <Text as="p">{t.mnExportLead}</Text>
      <Base padding={1.5} className="card">
        <form onSubmit={submit} noValidate aria-label={t.mnExportHeading}>
          <Stack gap={1.25}>
            <FormErrorSummary id="mn-export-errors" messages={errors['']} />
            <FormControl
              label={{ text: t.mnPurpose, htmlFor: exportId('purpose') }}
              statusLabels={<RequiredLabel />}
              helpMessage={t.mnExportPurposeHelp}
              errorMessages={errors.purpose}
            >
              <Select
                id={exportId('purpose')}
                name="purpose"
                value={purpose}
                onChangeValue={setPurpose}
                hasBlank
                decorators={{ blankLabel: () => t.selectBlank }}
                options={(purposes ?? []).map((p) => ({ value: p.code, label: lang === 'en' ? p.label_en || p.label : p.label }))}
              />
            </FormControl>
            <FormControl
              label={{ text: t.mnExportDestination, htmlFor: exportId('destination') }}
              statusLabels={<RequiredLabel />}
              helpMessage={t.mnExportDestinationHelp}
              errorMessages={errors.destination}
            >
              <Input id={exportId('destination')} autoComplete="off" value={destination} onChange={(e) => setDestination(e.target.value)} width="24em" />
            </FormControl>
            <Fieldset legend={t.mnExportWhom} errorMessages={errors.subject_ids}>
              <Stack gap={0.5}>
                <RadioButton name="whom" checked={whom === 'all'} onChange={() => setWhom('all')}>
                  {t.mnExportAll}
                </RadioButton>
                <RadioButton name="whom" checked={whom === 'chosen'} onChange={() => setWhom('chosen')} id={exportId('subject_ids')}>
                  {t.mnExportChosen}
                </RadioButton>
                {whom === 'chosen' &&
                  (candidates.error !== null ? (
                    <LoadError error={candidates.error} retry={candidates.reload} />
                  ) : candidates.data === null ? (
                    <Loader size="s" text={t.loading} />
                  ) : fitting.length === 0 ? (
                    <Text as="p" size="S" color="TEXT_GREY">
                      {t.mnExportNone}
                    </Text>
                  ) : (
                    <div className="mn-export-subjects">
                      {fitting.map((s) => (
                        <Checkbox
                          key={s.id}
                          name="subject_ids"
                          value={String(s.id)}
                          checked={chosen.includes(s.id)}
                          onChange={(e) => {
                            const on = e.target.checked
                            setChosen((c) => (on ? [...c.filter((x) => x !== s.id), s.id] : c.filter((x) => x !== s.id)))
                          }}
                        >
                          {`${s.id}　${s.name}（${kindText(t, s.kind)}）`}
                        </Checkbox>
                      ))}
                    </div>
                  ))}
              </Stack>
            </Fieldset>
            <div>
              <Button type="submit" variant="primary" loading={busy}>
                {t.mnExportSubmit}
              </Button>
            </div>
          </Stack>
        </form>
      </Base>
    </MyNumberFrame>
  )
}

/** The result of an export: the password once, the file to save, the take-out waiting for approval. */
function ExportDone({ result, onAgain }: { result: ExportResult; onAgain: () => void }) {
  const { t } = useApp()
  const url = useMemo(() => URL.createObjectURL(new Blob([base64ToBytes(result.file)], { type: 'application/zip' })), [result.file])
  useEffect(() => () => URL.revokeObjectURL(url), [url])
  const headingRef = useRef<HTMLDivElement>(null)
  useEffect(() => headingRef.current?.focus(), [])
  return (
    <Stack gap={1.25}>
      <div ref={headingRef} tabIndex={-1} className="mn-export-done">
        <NotificationBar type="success">{result.count !== undefined ? fmt(t.mnExportDone, { count: result.count }) : t.mnExportDoneNoCount}</NotificationBar>
      </div>
      <Base padding={1.5} className="card">
        <Stack gap={1}>
          <InformationPanel title={t.mnExportPasswordTitle} type="warning" toggleable={false}>
            <Text as="p">{t.mnExportPasswordWarning}</Text>
          </InformationPanel>
          <Cluster align="center" gap={0.75}>
            <span className="mn-export-password-label">{t.mnExportPassword}</span>
            <code className="one-time-password mn-export-password">{result.password}</code>
            <CopyButton text={result.password} />
          </Cluster>
          <div>
            <AnchorButton href={url} download={result.filename} variant="primary">
              {fmt(t.mnExportDownload, { filename: result.filename })}
            </AnchorButton>
          </div>
          {result.takeout_id ? (
            <Text as="p" size="S">
              <TextLink href={`#/ledgers/takeouts/${result.takeout_id}`}>{fmt(t.mnExportTakeout, { id: result.takeout_id })}</TextLink>
            </Text>
          ) : null}
          <Text as="p" size="S" color="TEXT_GREY">
            {t.mnExportTakeoutHelp}
          </Text>
          <div>
            <Button size="s" onClick={onAgain}>
              {t.mnExportAgain}
            </Button>
          </div>
        </Stack>
      </Base>
    </Stack>
  )
}
