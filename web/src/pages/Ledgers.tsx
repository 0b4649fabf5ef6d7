// 台帳: the generic ledger pages, driven entirely by each ledger's schema from the API
// (docs/internals/registers.md): the ledgers, one ledger's list (search, filters, sort, pages,
// export), a record's form (add / edit / delete) with its change history (異動履歴), and the CSV import.
import { useCallback, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react'
import {
  ActionDialog,
  AnchorButton,
  Base,
  Button,
  Checkbox,
  Cluster,
  DefinitionList,
  DefinitionListItem,
  FormControl,
  Heading,
  Input,
  InputFile,
  Loader,
  NotificationBar,
  Pagination,
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
import { api, isApiError, type FieldError } from '../api'
import type { Person } from '../auth'
import { errorMessage, FormErrorSummary, LoadError, Page, useFocusFirstInvalid } from '../components'
import { useApp } from '../context'
import { errorText, saveErrors, type FieldErrors } from '../forms'
import { formatDateTime } from '../format'
import { fmt, type Lang, type Messages } from '../i18n'
import {
  actorText,
  changeText,
  choiceOptions,
  effectiveSort,
  emptyListState,
  exportHref,
  fieldByName,
  fieldLabel,
  filterFields,
  formValues,
  hasChoices,
  listHash,
  localized,
  MAX_PER_PAGE,
  nextSort,
  pageCount,
  parseListQuery,
  recordBody,
  recordsPath,
  recordTitle,
  recordValue,
  rowRange,
  sortable,
  sortOf,
  type FormValues,
  type HistoryEntry,
  type ListState,
  type Page as RecordPage,
  type RegisterField,
  type RegisterRecord,
  type RegisterSchema,
  type RegisterSummary,
  type Value,
} from '../registers'
import { useList } from './People'
import { approvalStateInfo, requestForRecord, subjectOf, type Approval, type ApprovalList } from '../approvals'

const ledgerPath = (name: string) => `/api/registers/${encodeURIComponent(name)}`

// ---- loading ----

/** GET one thing; `reload()` gets it again. Keeps the last value while a new one loads. */
export function useGet<T>(path: string | null): { data: T | null; error: unknown; loading: boolean; reload: () => void } {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(false)
  const [tick, setTick] = useState(0)
  useEffect(() => {
    if (path === null) return
    const ctl = new AbortController()
    setError(null)
    setLoading(true)
    api
      .get<T>(path, { signal: ctl.signal })
      .then((r) => {
        setData(r)
        setLoading(false)
      })
      .catch((e) => {
        if (ctl.signal.aborted) return
        setError(e)
        setLoading(false)
      })
    return () => ctl.abort()
  }, [path, tick])
  return { data, error, loading, reload: useCallback(() => setTick((n) => n + 1), []) }
}

const useSchema = (name: string) => useGet<RegisterSchema>(`${ledgerPath(name)}/schema`)

/** `filter`: the value a list filter takes, when it is not the id (a person: the employee number). */
type Option = { value: string; label: string; filter?: string }
/** The choices of a ref or person field; null: they cannot be listed (no permission, failed). */
type Choices = Record<string, { options: Option[]; partial: boolean } | null>

/**
 * The records a ref field may point to (GET the referenced ledger's schema for its title field,
 * then its first 200 records) and the people a person field may name (GET /api/people, only with
 * people.read: otherwise the call would only be refused).
 */
function useChoices(schema: RegisterSchema | null, fields: readonly RegisterField[]): { choices: Choices; ready: boolean } {
  const { permissions } = useApp()
  const canPeople = permissions.has('people.read')
  const [choices, setChoices] = useState<Choices>({})
  const [ready, setReady] = useState(false)
  const key = fields
    .filter((f) => f.type === 'ref' || f.type === 'person')
    .map((f) => `${f.name}:${f.type}:${f.ref ?? ''}`)
    .join(',')
  useEffect(() => {
    if (!schema) return
    const wanted = fields.filter((f) => f.type === 'ref' || f.type === 'person')
    if (wanted.length === 0) {
      setReady(true)
      return
    }
    const ctl = new AbortController()
    const signal = ctl.signal
    const people = wanted.some((f) => f.type === 'person') && canPeople ? api.get<{ items: Person[] }>('/api/people', { signal }) : null
    const refs = new Map<string, Promise<{ options: Option[]; partial: boolean }>>()
    for (const f of wanted) {
      if (f.type !== 'ref' || !f.ref || refs.has(f.ref)) continue
      const ref = f.ref
      refs.set(
        ref,
        (async () => {
          const s = await api.get<RegisterSchema>(`${ledgerPath(ref)}/schema`, { signal })
          const sortOn = s.title && fieldByName(s, s.title) ? `&sort=${encodeURIComponent(s.title)}` : ''
          const page = await api.get<RecordPage<RegisterRecord>>(`${ledgerPath(ref)}/records?per_page=${MAX_PER_PAGE}${sortOn}`, { signal })
          const titleOf = (r: RegisterRecord) => {
            const v = r[s.title]
            return v === null || v === undefined || v === '' || typeof v === 'object' ? `#${r.id}` : String(v)
          }
          return {
            options: page.items.map((r) => ({ value: String(r.id), label: titleOf(r) })),
            partial: page.total > page.items.length,
          }
        })(),
      )
    }
    setReady(false)
    ;(async () => {
      const out: Choices = {}
      const peopleOptions = people
        ? await people.then(
            (r) => r.items.map((p) => ({ value: String(p.id), label: `${p.employee_no}　${p.name}`, filter: p.employee_no })),
            () => null,
          )
        : null
      for (const f of wanted) {
        if (f.type === 'person') out[f.name] = peopleOptions ? { options: peopleOptions, partial: false } : null
        else out[f.name] = f.ref && refs.has(f.ref) ? await refs.get(f.ref)!.catch(() => null) : null
      }
      if (!signal.aborted) {
        setChoices(out)
        setReady(true)
      }
    })()
    return () => ctl.abort()
    // `key` stands for `fields`
  }, [schema, key, canPeople])
  return { choices, ready }
}

/** 403/404 on a ledger: it does not exist, or the caller may not read it. */
function MissingLedger({ title, error, retry }: { title: string; error: unknown; retry: () => void }) {
  const { t } = useApp()
  return (
    <Page title={title}>
      {isApiError(error, 404) || isApiError(error, 403) ? <Text as="p">{t.ledgerNotFound}</Text> : <LoadError error={error} retry={retry} />}
      <div>
        <TextLink href="#/ledgers">{t.backToLedgers}</TextLink>
      </div>
    </Page>
  )
}

// ---- 台帳: the ledgers ----

export function LedgersPage() {
  const { t, lang } = useApp()
  const { items, error, reload } = useList<RegisterSummary>('/api/registers')
  return (
    <Page title={t.navLedgers}>
      {error !== null ? (
        <LoadError error={error} retry={reload} />
      ) : items === null ? (
        <Loader size="s" text={t.loading} />
      ) : items.length === 0 ? (
        <Text as="p">{t.ledgersEmpty}</Text>
      ) : (
        <Stack gap={0.75}>
          <Text as="p" color="TEXT_GREY">
            {t.ledgersLead}
          </Text>
          <Base className="table-base">
            <TableReel>
              <Table className="data-table ledgers-table">
                <thead>
                  <tr>
                    <Th>{t.ledgerName}</Th>
                    <Th>{t.ledgerSource}</Th>
                    <Th align="right">{t.ledgerCount}</Th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((r) => (
                    <tr key={r.name} data-ledger={r.name}>
                      <Td>
                        <TextLink href={`#/ledgers/${r.name}`}>{localized(r.label, lang)}</TextLink>
                      </Td>
                      <Td className="nowrap">{r.source || '—'}</Td>
                      <Td align="right" className="nowrap">
                        {fmt(t.count, { count: r.count })}
                      </Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            </TableReel>
          </Base>
        </Stack>
      )}
    </Page>
  )
}

// ---- one ledger: the list ----

export function LedgerListPage({ name, query }: { name: string; query: string }) {
  const { t, lang } = useApp()
  const { data: schema, error, reload } = useSchema(name)
  if (error !== null) return <MissingLedger title={t.navLedgers} error={error} retry={reload} />
  if (!schema)
    return (
      <Page title={t.navLedgers}>
        <Loader size="s" text={t.loading} />
      </Page>
    )
  const label = localized(schema.label, lang)
  return <LedgerList key={schema.name} schema={schema} label={label} query={query} />
}

function LedgerList({ schema, label, query }: { schema: RegisterSchema; label: string; query: string }) {
  const { t, lang } = useApp()
  const name = schema.name
  const state = useMemo(() => parseListQuery(query, schema), [query, schema])
  const { data, error, loading, reload } = useGet<RecordPage<RegisterRecord>>(recordsPath(name, state))
  const filters = useMemo(() => filterFields(schema), [schema])
  const { choices } = useChoices(schema, filters)
  const [qInput, setQInput] = useState(state.q)
  useEffect(() => setQInput(state.q), [state.q]) // back/forward, 条件をクリア
  const sort = effectiveSort(schema, state)
  const columns = useMemo(() => sortable(schema), [schema])
  const linkColumn = columns.includes(schema.title) ? schema.title : columns[0]
  const canWrite = schema.can_write === true
  const searchLabels = (schema.search ?? []).map((n) => fieldLabel(schema, n, lang)).join(lang === 'ja' ? '・' : ', ')
  const conditions = state.q !== '' || Object.keys(state.filters).length > 0

  const go = (next: ListState) => {
    location.hash = listHash(name, next)
  }
  const search = (e: FormEvent) => {
    e.preventDefault()
    go({ ...state, q: qInput, page: 1 })
  }

  const idOf = (f: string) => `ledger-${name}-${f}`
  const filterOptions = (f: RegisterField): Option[] | null => {
    if (hasChoices(f)) return choiceOptions(f, lang)
    if (f.type === 'boolean')
      return [
        { value: 'true', label: t.yes },
        { value: 'false', label: t.no },
      ]
    const c = choices[f.name]
    if (!c) return null // not listable: no filter
    // a ref filters by the record's id, a person by the employee number (the API reads a filter's
    // value as a CSV cell: docs/internals/registers.md)
    const options = c.options.map((o) => ({ value: o.filter ?? o.value, label: o.label }))
    const chosen = state.filters[f.name]
    // the chosen value stays offered even when it is not among the first 200
    return chosen && !options.some((o) => o.value === chosen) ? [...options, { value: chosen, label: f.type === 'ref' ? `#${chosen}` : chosen }] : options
  }

  const total = data?.total ?? 0
  const range = rowRange(total, state.page, data?.per_page || undefined)
  const pages = pageCount(total, data?.per_page || undefined)

  return (
    <Page
      title={label}
      actions={
        canWrite && (
          <Cluster gap={0.5}>
            <AnchorButton href={`#/ledgers/${name}/new`} variant="primary" size="s">
              {t.ledgerAdd}
            </AnchorButton>
            <AnchorButton href={`#/ledgers/${name}/import`} size="s">
              {t.importCsv}
            </AnchorButton>
          </Cluster>
        )
      }
    >
      {schema.source && (
        <Text as="p" size="S" color="TEXT_GREY">
          {fmt(t.ledgerSourceLine, { source: schema.source })}
        </Text>
      )}
      <form role="search" aria-label={t.search} onSubmit={search} className="ledger-search">
        <Stack gap={0.75}>
          {(schema.search ?? []).length > 0 && (
            <Cluster align="flex-end" gap={0.75}>
              <FormControl label={{ text: t.search, htmlFor: idOf('q') }} helpMessage={fmt(t.searchHelp, { fields: searchLabels })} className="ledger-q">
                <Input id={idOf('q')} name="q" type="search" value={qInput} onChange={(e) => setQInput(e.target.value)} width="20em" />
              </FormControl>
              <Button type="submit">{t.searchSubmit}</Button>
            </Cluster>
          )}
          {(filters.length > 0 || conditions) && (
            <Cluster align="flex-end" gap={1}>
              {filters.map((f) => {
                const options = filterOptions(f)
                if (!options) return null
                return (
                  <FormControl key={f.name} label={{ text: localized(f.label, lang), htmlFor: idOf(`filter-${f.name}`) }}>
                    <Select
                      id={idOf(`filter-${f.name}`)}
                      name={f.name}
                      size="s"
                      value={state.filters[f.name] ?? ''}
                      hasBlank
                      decorators={{ blankLabel: () => t.filterAll }}
                      options={options}
                      onChangeValue={(v) => go({ ...state, q: qInput, page: 1, filters: { ...state.filters, [f.name]: v } })}
                    />
                  </FormControl>
                )
              })}
              {conditions && (
                <div className="ledger-clear">
                  <TextLink href={listHash(name, { ...emptyListState(), sort: state.sort })}>{t.clearConditions}</TextLink>
                </div>
              )}
            </Cluster>
          )}
        </Stack>
      </form>

      {error !== null ? (
        <LoadError error={error} retry={reload} />
      ) : data === null ? (
        <Loader size="s" text={t.loading} />
      ) : (
        <Stack gap={0.75}>
          <Cluster align="center" justify="space-between">
            <Text size="S" color="TEXT_GREY" role="status" className="ledger-count">
              {total === 0 ? fmt(t.count, { count: 0 }) : fmt(data?.total_capped ? t.rowRangeCapped : t.rowRange, { total, from: range.from, to: range.to })}
            </Text>
            <Cluster gap={0.5} align="center" className="ledger-export" role="group" aria-label={t.exportLabel}>
              <AnchorButton href={exportHref(name, state, 'csv')} download size="s">
                {t.exportCsv}
              </AnchorButton>
              <AnchorButton href={exportHref(name, state, 'csv', 'cp932')} download size="s">
                {t.exportCsvCp932}
              </AnchorButton>
              <AnchorButton href={exportHref(name, state, 'xlsx')} download size="s">
                {t.exportXlsx}
              </AnchorButton>
            </Cluster>
          </Cluster>
          <Base className="table-base">
            <TableReel>
              <Table className="data-table ledger-table" aria-label={fmt(t.ledgerRecords, { ledger: label })} aria-busy={loading || undefined}>
                <thead>
                  <tr>
                    {columns.map((c) => (
                      <Th key={c} sort={sortOf(c, sort)} onSort={() => go({ ...state, sort: nextSort(c, sort), page: 1 })} data-field={c}>
                        <span className="th-label">{fieldLabel(schema, c, lang)}</span>
                      </Th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.items.length === 0 ? (
                    <tr>
                      <Td colSpan={columns.length}>{conditions || total > 0 ? t.noMatches : t.ledgerEmpty}</Td>
                    </tr>
                  ) : (
                    data.items.map((rec) => (
                      <tr key={rec.id} data-record={rec.id}>
                        {columns.map((c) => {
                          const text = recordValue(schema, rec, c, lang, t)
                          const f = fieldByName(schema, c)
                          return (
                            <Td key={c} className={f?.type === 'textarea' ? 'ledger-long' : 'nowrap'}>
                              {c === linkColumn ? (
                                <TextLink href={`#/ledgers/${name}/${rec.id}`}>{text === '—' ? `#${rec.id}` : text}</TextLink>
                              ) : (
                                text
                              )}
                            </Td>
                          )
                        })}
                      </tr>
                    ))
                  )}
                </tbody>
              </Table>
            </TableReel>
          </Base>
          {pages > 1 && (
            <Pagination total={pages} current={Math.min(state.page, pages)} hrefTemplate={(n) => listHash(name, { ...state, page: n })} />
          )}
          <Text as="p" size="S" color="TEXT_GREY">
            {t.exportHelp}
          </Text>
        </Stack>
      )}
    </Page>
  )
}

// ---- one record: the form, the history ----

export function LedgerRecordPage({ name, id }: { name: string; id?: number }) {
  const { t, lang } = useApp()
  const schemaGet = useSchema(name)
  const schema = schemaGet.data
  if (schemaGet.error !== null) return <MissingLedger title={t.navLedgers} error={schemaGet.error} retry={schemaGet.reload} />
  if (!schema)
    return (
      <Page title={t.navLedgers}>
        <Loader size="s" text={t.loading} />
      </Page>
    )
  const label = localized(schema.label, lang)
  if (id === undefined && !schema.can_write)
    return (
      <Page title={fmt(t.recordNewHeading, { ledger: label })}>
        <Text as="p">{t.forbidden}</Text>
        <div>
          <TextLink href={`#/ledgers/${name}`}>{fmt(t.backToLedger, { ledger: label })}</TextLink>
        </div>
      </Page>
    )
  return <RecordView key={`${schema.name}/${id ?? 'new'}`} schema={schema} label={label} id={id} />
}

function RecordView({ schema, label, id }: { schema: RegisterSchema; label: string; id?: number }) {
  const { t, lang, notify } = useApp()
  const name = schema.name
  const recordGet = useGet<RegisterRecord>(id === undefined ? null : `${ledgerPath(name)}/records/${id}`)
  const historyGet = useGet<{ items: HistoryEntry[] }>(id === undefined ? null : `${ledgerPath(name)}/records/${id}/history`)
  const { choices } = useChoices(schema, schema.fields)
  const record = recordGet.data
  const canWrite = schema.can_write === true

  const back = (
    <div>
      <TextLink href={`#/ledgers/${name}`}>{fmt(t.backToLedger, { ledger: label })}</TextLink>
    </div>
  )
  if (id !== undefined && recordGet.error !== null)
    return (
      <Page title={label}>
        {isApiError(recordGet.error, 404) ? <Text as="p">{t.recordNotFound}</Text> : <LoadError error={recordGet.error} retry={recordGet.reload} />}
        {back}
      </Page>
    )
  if (id !== undefined && !record)
    return (
      <Page title={label}>
        <Loader size="s" text={t.loading} />
      </Page>
    )

  const title = id === undefined || !record ? fmt(t.recordNewHeading, { ledger: label }) : fmt(t.recordHeading, { ledger: label, title: recordTitle(schema, record, lang, t) })
  const names = (f: RegisterField, v: Value): string | undefined => {
    if (record && record[f.name] === v && record._labels?.[f.name]) return record._labels[f.name]
    return choices[f.name]?.options.find((o) => o.value === String(v))?.label
  }

  return (
    <Page title={title}>
      {canWrite ? (
        <RecordForm
          schema={schema}
          record={record}
          choices={choices}
          onCreated={(r) => {
            // a new take-out has asked its approver already: the server made the engine's request
            if (!requestForRecord(name, r)) return notify((t) => t.recordCreated, 'success', `#/ledgers/${name}`)
            notify((t) => t.apRequestMade, 'success', `#/ledgers/${name}/${r.id}`)
          }}
          onSaved={(changed) => {
            if (changed) {
              recordGet.reload()
              historyGet.reload()
            }
            notify((t) => (changed ? t.recordSaved : t.recordUnchanged), changed ? 'success' : 'info')
          }}
          onDeleted={() => notify((t) => t.recordDeleted, 'success', `#/ledgers/${name}`)}
        />
      ) : (
        record && <RecordDetails schema={schema} record={record} />
      )}
      {record && name === 'takeouts' && <RecordApprovalLink subject={subjectOf(name, record.id as number)} />}
      {record && (
        <Section>
          <Stack gap={0.75}>
            <Heading>{t.historyHeading}</Heading>
            {historyGet.error !== null ? (
              <LoadError error={historyGet.error} retry={historyGet.reload} />
            ) : historyGet.data === null ? (
              <Loader size="s" text={t.loading} />
            ) : (
              <HistoryTable schema={schema} items={historyGet.data.items} names={names} />
            )}
          </Stack>
        </Section>
      )}
      {back}
    </Page>
  )
}

/**
 * The approval request of a record, when the reader can list it: nothing on the record names its
 * request, so the boxes the reader may list (all, else inbox and mine) are searched for the subject.
 */
function RecordApprovalLink({ subject }: { subject: string }) {
  const { t, permissions } = useApp()
  const [found, setFound] = useState<Approval | null>(null)
  const all = permissions.has('approvals.all')
  useEffect(() => {
    const ctl = new AbortController()
    const boxes = all ? ['all'] : ['mine', 'inbox']
    Promise.all(boxes.map((b) => api.get<ApprovalList>(`/api/approvals?box=${b}`, { signal: ctl.signal }).catch(() => null)))
      .then((lists) => {
        if (ctl.signal.aborted) return
        const hits = lists.flatMap((l) => l?.items ?? []).filter((a) => a.subject === subject)
        hits.sort((a, b) => b.id - a.id)
        setFound(hits[0] ?? null)
      })
      .catch(() => undefined)
    return () => ctl.abort()
  }, [subject, all])
  if (!found) return null
  const s = approvalStateInfo(found.state)
  return (
    <Text as="p" className="record-approval">
      {t.apRecordRequest}
      {t.labelSeparator}
      <TextLink href={`#/approvals/${found.id}`}>{fmt(t.apRecordRequestLink, { id: found.id, state: s ? t[s.label] : found.state })}</TextLink>
    </Text>
  )
}

/** Read-only: the values of a record (for those who may read the ledger but not write it). */
function RecordDetails({ schema, record }: { schema: RegisterSchema; record: RegisterRecord }) {
  const { t, lang } = useApp()
  return (
    <Base padding={1.5} className="card">
      <DefinitionList maxColumns={1}>
        {schema.fields.map((f) => (
          <DefinitionListItem key={f.name} term={localized(f.label, lang)}>
            <span className={f.type === 'textarea' ? 'pre-wrap' : undefined}>{recordValue(schema, record, f.name, lang, t)}</span>
          </DefinitionListItem>
        ))}
        <DefinitionListItem term={t.createdAt}>{record.created_at ? formatDateTime(new Date(record.created_at)) : '—'}</DefinitionListItem>
        <DefinitionListItem term={t.updatedAt}>{record.updated_at ? formatDateTime(new Date(record.updated_at)) : '—'}</DefinitionListItem>
      </DefinitionList>
    </Base>
  )
}

function actionLabel(t: Messages, action: string): string {
  return action === 'create' ? t.actionCreate : action === 'update' ? t.actionUpdate : action === 'delete' ? t.actionDelete : action
}

function HistoryTable({ schema, items, names }: { schema: RegisterSchema; items: HistoryEntry[]; names: (f: RegisterField, v: Value) => string | undefined }) {
  const { t, lang } = useApp()
  if (items.length === 0) return <Text as="p">{t.historyEmpty}</Text>
  return (
    <Base className="table-base">
      <TableReel>
        <Table className="data-table history-table" aria-label={t.historyHeading}>
          <thead>
            <tr>
              <Th>{t.historyAt}</Th>
              <Th>{t.historyActor}</Th>
              <Th>{t.historyAction}</Th>
              <Th>{t.historyChanges}</Th>
            </tr>
          </thead>
          <tbody>
            {items.map((h, i) => (
              <tr key={i} data-action={h.action}>
                <Td className="nowrap">{h.at ? formatDateTime(new Date(h.at)) : '—'}</Td>
                <Td className="nowrap">{actorText(h.actor)}</Td>
                <Td className="nowrap">{actionLabel(t, h.action)}</Td>
                <Td>
                  {h.changes.length === 0 ? (
                    '—'
                  ) : (
                    <ul className="plain-list history-changes">
                      {h.changes.map((c, j) => (
                        <li key={j} data-field={c.field}>
                          {changeText(schema, c, h.action, lang, t, names)}
                        </li>
                      ))}
                    </ul>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </TableReel>
    </Base>
  )
}

function RecordForm({
  schema,
  record,
  choices,
  onCreated,
  onSaved,
  onDeleted,
}: {
  schema: RegisterSchema
  record: RegisterRecord | null
  choices: Choices
  onCreated: (r: RegisterRecord) => void | Promise<void>
  onSaved: (changed: boolean) => void
  onDeleted: () => void
}) {
  const { t, lang } = useApp()
  const name = schema.name
  const editing = record !== null
  const original = useMemo(() => formValues(schema, record), [schema, record])
  const [values, setValues] = useState<FormValues>(original)
  useEffect(() => setValues(original), [original]) // after a save, the stored values
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [busy, setBusy] = useState(false)
  const [confirmDelete, setConfirmDelete] = useState(false)
  const order = useMemo(() => schema.fields.map((f) => f.name), [schema])
  const idOf = (f: string) => `reg-${name}-${f}`
  useFocusFirstInvalid(attempt, errors, order, idOf, 'record-errors')

  const set = (f: string, v: string) => setValues((old) => ({ ...old, [f]: v }))

  const submit = async (ev: FormEvent) => {
    ev.preventDefault()
    if (busy) return
    setBusy(true)
    try {
      if (!editing) {
        const r = await api.post<RegisterRecord>(`${ledgerPath(name)}/records`, recordBody(schema, values))
        await onCreated(r)
      } else {
        const body = recordBody(schema, values, original)
        setErrors({})
        if (Object.keys(body).length === 0) {
          onSaved(false)
        } else {
          await api.patch<RegisterRecord>(`${ledgerPath(name)}/records/${record!.id}`, body)
          onSaved(true)
        }
        setBusy(false)
      }
    } catch (e) {
      setBusy(false)
      setErrors(saveErrors(e, lang, order, errorMessage(e, t, lang), t.formHasErrors))
      setAttempt((n) => n + 1)
    }
  }

  const formTitle = editing ? fmt(t.recordHeading, { ledger: localized(schema.label, lang), title: recordTitle(schema, record, lang, t) }) : fmt(t.recordNewHeading, { ledger: localized(schema.label, lang) })

  return (
    <Base padding={1.5} className="card">
      <form onSubmit={submit} noValidate aria-label={formTitle}>
        <Stack gap={1.25}>
          <FormErrorSummary id="record-errors" messages={errors['']} />
          {schema.fields.map((f) => (
            <FieldControl
              key={f.name}
              id={idOf(f.name)}
              field={f}
              value={values[f.name] ?? ''}
              onChange={(v) => set(f.name, v)}
              errors={errors[f.name]}
              record={record}
              choices={choices[f.name]}
              schema={schema}
            />
          ))}
          {record && (
            <Text as="p" size="S" color="TEXT_GREY" className="record-meta">
              {t.createdAt}
              {t.labelSeparator}
              {record.created_at ? formatDateTime(new Date(record.created_at)) : '—'}
              {'　'}
              {t.updatedAt}
              {t.labelSeparator}
              {record.updated_at ? formatDateTime(new Date(record.updated_at)) : '—'}
            </Text>
          )}
          <Cluster gap={0.75} justify="space-between">
            <Cluster gap={0.75}>
              <Button type="submit" variant="primary" loading={busy}>
                {t.save}
              </Button>
              <AnchorButton href={`#/ledgers/${name}`}>{t.cancel}</AnchorButton>
            </Cluster>
            {editing && (
              <Button variant="danger" onClick={() => setConfirmDelete(true)}>
                {t.deleteRecord}
              </Button>
            )}
          </Cluster>
        </Stack>
      </form>
      {confirmDelete && record && (
        <DeleteDialog
          title={recordTitle(schema, record, lang, t)}
          run={() => api.delete(`${ledgerPath(name)}/records/${record.id}`)}
          onDone={onDeleted}
          onClose={() => setConfirmDelete(false)}
        />
      )}
    </Base>
  )
}

function widthOf(f: RegisterField): string {
  const max = f.max ?? 200
  if (max <= 20) return '12em'
  if (max <= 60) return '24em'
  return '100%'
}

/** One field of the form, by its type; its label, required mark, help and errors around it. */
function FieldControl({
  id,
  field: f,
  value,
  onChange,
  errors,
  record,
  choices,
  schema,
}: {
  id: string
  field: RegisterField
  value: string
  onChange: (v: string) => void
  errors?: string[]
  record: RegisterRecord | null
  choices: Choices[string] | undefined
  schema: RegisterSchema
}) {
  const { t, lang } = useApp()
  const label = localized(f.label, lang)
  const help: ReactNode[] = []
  const own = localized(f.help, lang)
  if (own) help.push(own)
  if (f.computed) {
    // set by the ledger's hook: shown, never typed
    return (
      <FormControl
        label={{ text: label, htmlFor: id }}
        statusLabels={<StatusLabel type="grey">{t.computed}</StatusLabel>}
        helpMessage={own || (record ? undefined : t.computedHelp)}
        errorMessages={errors}
        data-field={f.name}
      >
        <Input id={id} name={f.name} readOnly value={record ? recordValue(schema, record, f.name, lang, t) : '—'} width={widthOf(f)} />
      </FormControl>
    )
  }
  let control: ReactNode
  switch (f.type) {
    case 'textarea':
      control = <Textarea id={id} name={f.name} value={value} onChange={(e) => onChange(e.target.value)} maxLetters={f.max ?? 4000} rows={4} width="100%" />
      break
    case 'integer':
      if (hasChoices(f)) {
        control = (
          <Select
            id={id}
            name={f.name}
            value={value}
            onChangeValue={onChange}
            hasBlank
            decorators={{ blankLabel: () => t.selectBlank }}
            options={choiceOptions(f, lang)}
          />
        )
        break
      }
      control = (
        <Input
          id={id}
          name={f.name}
          type="number"
          inputMode="numeric"
          step={1}
          min={f.min}
          max={f.max}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          width="10em"
        />
      )
      break
    case 'boolean':
      control = <Checkbox id={id} name={f.name} checked={value === 'true'} onChange={(e) => onChange(e.target.checked ? 'true' : 'false')} />
      break
    case 'date':
      control = <Input id={id} name={f.name} type="date" value={value} onChange={(e) => onChange(e.target.value)} width="12em" />
      break
    case 'datetime':
      help.push(t.datetimeHelp)
      control = <Input id={id} name={f.name} type="datetime-local" value={value} onChange={(e) => onChange(e.target.value)} width="16em" />
      break
    case 'enum':
      control = (
        <Select
          id={id}
          name={f.name}
          value={value}
          onChangeValue={onChange}
          hasBlank
          decorators={{ blankLabel: () => t.selectBlank }}
          options={choiceOptions(f, lang)}
        />
      )
      break
    case 'ref':
    case 'person': {
      if (!choices) {
        if (f.type === 'person') help.push(t.personNoList)
        control = (
          <Input
            id={id}
            name={f.name}
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            width="10em"
            suffix={record && record[f.name] != null && String(record[f.name]) === value ? record._labels?.[f.name] : undefined}
          />
        )
        break
      }
      if (choices.partial) help.push(fmt(t.refPartial, { count: MAX_PER_PAGE }))
      let options = choices.options
      if (value !== '' && !options.some((o) => o.value === value)) {
        const known = record && String(record[f.name]) === value ? record._labels?.[f.name] : undefined
        options = [...options, { value, label: known || `#${value}` }]
      }
      control = (
        <Select id={id} name={f.name} value={value} onChangeValue={onChange} hasBlank decorators={{ blankLabel: () => t.selectBlank }} options={options} />
      )
      break
    }
    default: {
      const fmtType = f.format === 'email' ? 'email' : f.format === 'url' ? 'url' : 'text'
      const code = f.format === 'mac' || f.format === 'ipv4'
      control = (
        <Input
          id={id}
          name={f.name}
          type={fmtType}
          maxLength={f.max ?? 200}
          autoComplete="off"
          spellCheck={code ? false : undefined}
          autoCapitalize={code ? 'none' : undefined}
          inputMode={f.format === 'ipv4' ? 'decimal' : undefined}
          className={code ? 'mono' : undefined}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          width={widthOf(f)}
        />
      )
    }
  }
  return (
    <FormControl
      label={{ text: label, htmlFor: id }}
      statusLabels={f.required ? <RequiredLabel /> : undefined}
      helpMessage={help.length === 0 ? undefined : help.length === 1 ? help[0] : help.map((h, i) => <span key={i} className="help-line">{h}</span>)}
      errorMessages={errors}
      data-field={f.name}
    >
      {control}
    </FormControl>
  )
}

/** 「削除する」 with its confirmation; heading and body default to a ledger record's. */
export function DeleteDialog({ title, run, onDone, onClose, heading, body }: { title: string; run: () => Promise<unknown>; onDone: () => void; onClose: () => void; heading?: string; body?: string }) {
  const { t, lang } = useApp()
  const [status, setStatus] = useState<{ status: 'processing' } | { status: 'error'; text: string } | undefined>()
  return (
    <ActionDialog
      isOpen
      title={heading ?? t.deleteTitle}
      actionText={t.deleteAction}
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
      <Text as="p">{body ?? fmt(t.deleteBody, { title })}</Text>
    </ActionDialog>
  )
}

// ---- CSV取込 ----

type ImportError = FieldError & { row?: number | null }

export function LedgerImportPage({ name }: { name: string }) {
  const { t, lang } = useApp()
  const schemaGet = useSchema(name)
  const schema = schemaGet.data
  const [file, setFile] = useState<File | null>(null)
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<{ kind: 'done'; count: number } | { kind: 'rows'; errors: ImportError[] } | { kind: 'error'; text: string } | null>(null)
  const [fileError, setFileError] = useState<string[] | undefined>()

  if (schemaGet.error !== null) return <MissingLedger title={t.navLedgers} error={schemaGet.error} retry={schemaGet.reload} />
  if (!schema)
    return (
      <Page title={t.navLedgers}>
        <Loader size="s" text={t.loading} />
      </Page>
    )
  const label = localized(schema.label, lang)
  const title = fmt(t.importHeading, { ledger: label })
  const back = (
    <div>
      <TextLink href={`#/ledgers/${name}`}>{fmt(t.backToLedger, { ledger: label })}</TextLink>
    </div>
  )
  if (!schema.can_write)
    return (
      <Page title={title}>
        <Text as="p">{t.forbidden}</Text>
        {back}
      </Page>
    )

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy) return
    if (!file) {
      setFileError([t.importNoFile])
      document.getElementById('import-file')?.focus()
      return
    }
    setFileError(undefined)
    setBusy(true)
    setResult(null)
    try {
      const r = await api.upload<{ imported: number }>(`${ledgerPath(name)}/import`, file, 'text/csv')
      setResult({ kind: 'done', count: r?.imported ?? 0 })
    } catch (err) {
      const rows = isApiError(err, 422) ? ((err.problem.errors ?? []) as ImportError[]) : []
      setResult(rows.length > 0 ? { kind: 'rows', errors: rows } : { kind: 'error', text: errorMessage(err, t, lang) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <Page title={title}>
      <Base padding={1.5} className="card">
        <form onSubmit={submit} noValidate aria-label={title}>
          <Stack gap={1.25}>
            <Text as="p">{t.importLead}</Text>
            <Text as="p" size="S" color="TEXT_GREY">
              {t.importAllOrNothing}
            </Text>
            <FormControl label={{ text: t.importFile, htmlFor: 'import-file' }} statusLabels={<RequiredLabel />} errorMessages={fileError}>
              {/* no id of its own: FormControl gives it one and adds the label to its name */}
              <InputFile
                name="file"
                label={t.importChoose}
                accept=".csv,text/csv"
                onChange={(files) => {
                  setFile(files[0] ?? null)
                  setFileError(undefined)
                  setResult(null)
                }}
              />
            </FormControl>
            <Cluster gap={0.75}>
              <Button type="submit" variant="primary" loading={busy}>
                {t.importSubmit}
              </Button>
              <AnchorButton href={`#/ledgers/${name}`}>{t.cancel}</AnchorButton>
            </Cluster>
          </Stack>
        </form>
      </Base>
      <div role="status" aria-live="polite" className="import-result">
        {result?.kind === 'done' && <NotificationBar type="success">{fmt(t.importDone, { count: result.count })}</NotificationBar>}
        {result?.kind === 'error' && <NotificationBar type="error">{result.text}</NotificationBar>}
        {result?.kind === 'rows' && <NotificationBar type="error">{t.importFailed}</NotificationBar>}
      </div>
      {result?.kind === 'rows' && <ImportErrors schema={schema} errors={result.errors} lang={lang} t={t} />}
      {back}
    </Page>
  )
}

function ImportErrors({ schema, errors, lang, t }: { schema: RegisterSchema; errors: ImportError[]; lang: Lang; t: Messages }) {
  return (
    <Base className="table-base">
      <TableReel>
        <Table className="data-table import-errors" aria-label={t.importFailed}>
          <thead>
            <tr>
              <Th align="right">{t.importRow}</Th>
              <Th>{t.importField}</Th>
              <Th>{t.importMessage}</Th>
            </tr>
          </thead>
          <tbody>
            {errors.map((e, i) => (
              <tr key={i} data-row={e.row ?? ''}>
                <Td align="right" className="nowrap">
                  {e.row ?? '—'}
                </Td>
                <Td className="nowrap">{e.field ? fieldLabel(schema, e.field, lang) : '—'}</Td>
                <Td>{errorText(e, lang)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </TableReel>
    </Base>
  )
}
