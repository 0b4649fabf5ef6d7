// 従業員: the list (with a filter) and the form to add or change a person.
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react'
import {
  AnchorButton,
  Base,
  Button,
  Cluster,
  FormControl,
  Input,
  Loader,
  RequiredLabel,
  Select,
  Stack,
  Table,
  TableReel,
  Td,
  Text,
  TextLink,
  Th,
} from 'smarthr-ui'
import { api, isApiError } from '../api'
import { EMPLOYMENT_TYPES, type EmploymentType, type Person } from '../auth'
import { errorMessage, FormErrorSummary, LoadError, Page, useFocusFirstInvalid } from '../components'
import { useApp } from '../context'
import {
  emptyPerson,
  saveErrors,
  isoDateToDisplay,
  PERSON_FIELDS,
  personBody,
  personValues,
  type FieldErrors,
  type PersonField,
  type PersonValues,
} from '../forms'
import { formatWarekiDate } from '../format'
import type { MessageKey, Messages } from '../i18n'

export const EMPLOYMENT_LABEL: Record<EmploymentType, MessageKey> = {
  officer: 'empOfficer',
  regular: 'empRegular',
  contract: 'empContract',
  dispatch: 'empDispatch',
  part_time: 'empPartTime',
  external: 'empExternal',
}

export function employmentLabel(t: Messages, key: string): string {
  return key in EMPLOYMENT_LABEL ? t[EMPLOYMENT_LABEL[key as EmploymentType]] : key
}

/** Loads a list; `reload()` loads it again. */
export function useList<T>(path: string): { items: T[] | null; error: unknown; reload: () => void } {
  const [items, setItems] = useState<T[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [tick, setTick] = useState(0)
  useEffect(() => {
    const ctl = new AbortController()
    setError(null)
    api
      .get<{ items: T[] }>(path, { signal: ctl.signal })
      .then((r) => setItems(r.items))
      .catch((e) => {
        if (!ctl.signal.aborted) setError(e)
      })
    return () => ctl.abort()
  }, [path, tick])
  return { items, error, reload: useCallback(() => setTick((n) => n + 1), []) }
}

export function matchesFilter(filter: string, ...values: (string | null | undefined)[]): boolean {
  const f = filter.trim().toLowerCase()
  if (f === '') return true
  return values.some((v) => (v ?? '').toLowerCase().includes(f))
}

export function PeoplePage() {
  const { t, permissions } = useApp()
  const { items, error, reload } = useList<Person>('/api/people')
  const [filter, setFilter] = useState('')
  const canWrite = permissions.has('people.write')
  const shown = useMemo(
    () => (items ?? []).filter((p) => matchesFilter(filter, p.employee_no, p.name, p.name_kana, p.department, p.account_login)),
    [items, filter],
  )

  return (
    <Page
      title={t.navPeople}
      actions={
        canWrite && (
          <AnchorButton href="#/admin/people/new" variant="primary" size="s">
            {t.peopleAdd}
          </AnchorButton>
        )
      }
    >
      {error !== null ? (
        <LoadError error={error} retry={reload} />
      ) : items === null ? (
        <Loader size="s" text={t.loading} />
      ) : items.length === 0 ? (
        <Text as="p">{t.peopleEmpty}</Text>
      ) : (
        <Stack gap={0.75}>
          <Cluster align="flex-end" justify="space-between">
            <FormControl label={{ text: t.filter, htmlFor: 'people-filter' }} helpMessage={t.filterHelp}>
              <Input id="people-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} width="20em" />
            </FormControl>
            <Text size="S" color="TEXT_GREY" role="status">
              {t.count.replace('{count}', String(shown.length))}
            </Text>
          </Cluster>
          <Base className="table-base">
            <TableReel>
              <Table className="data-table people-table">
                <thead>
                  <tr>
                    <Th>{t.employeeNo}</Th>
                    <Th>{t.personName}</Th>
                    <Th>{t.nameKana}</Th>
                    <Th>{t.department}</Th>
                    <Th>{t.employmentType}</Th>
                    <Th>{t.joinedOn}</Th>
                    <Th>{t.leftOn}</Th>
                    <Th>{t.account}</Th>
                    {canWrite && <Th>{t.actions}</Th>}
                  </tr>
                </thead>
                <tbody>
                  {shown.length === 0 ? (
                    <tr>
                      <Td colSpan={canWrite ? 9 : 8}>{t.noMatches}</Td>
                    </tr>
                  ) : (
                    shown.map((p) => (
                      <tr key={p.id} data-person={p.id}>
                        <Td className="nowrap">{p.employee_no}</Td>
                        <Td className="nowrap">{p.name}</Td>
                        <Td className="nowrap">{p.name_kana}</Td>
                        <Td>{p.department || '—'}</Td>
                        <Td className="nowrap">{employmentLabel(t, p.employment_type)}</Td>
                        <Td className="nowrap">{isoDateToDisplay(p.joined_on) || '—'}</Td>
                        <Td className="nowrap">{isoDateToDisplay(p.left_on) || '—'}</Td>
                        <Td className="nowrap">{p.account_login ?? <span className="muted">{t.none}</span>}</Td>
                        {canWrite && (
                          <Td>
                            <TextLink href={`#/admin/people/${p.id}`}>
                              {t.edit}
                              <span className="visually-hidden">{`（${p.name}）`}</span>
                            </TextLink>
                          </Td>
                        )}
                      </tr>
                    ))
                  )}
                </tbody>
              </Table>
            </TableReel>
          </Base>
        </Stack>
      )}
    </Page>
  )
}

// ---- the form ----

type FieldSpec = {
  field: PersonField
  label: MessageKey
  required?: boolean
  help?: MessageKey
  type?: string
  width?: string
  autoComplete?: string
  /** show the date in 和暦 too (where Japanese forms ask for it) */
  wareki?: boolean
}

const FIELD_SPECS: FieldSpec[] = [
  { field: 'employee_no', label: 'employeeNo', required: true, help: 'employeeNoHelp', width: '12em' },
  { field: 'name', label: 'personName', required: true, width: '20em' },
  { field: 'name_kana', label: 'nameKana', required: true, help: 'nameKanaHelp', width: '20em' },
  { field: 'department', label: 'department', width: '20em' },
  { field: 'employment_type', label: 'employmentType', required: true },
  { field: 'joined_on', label: 'joinedOn', type: 'date', width: '12em' },
  { field: 'left_on', label: 'leftOn', type: 'date', width: '12em' },
  { field: 'nda_on', label: 'ndaOn', type: 'date', help: 'ndaOnHelp', width: '12em' },
  { field: 'phone', label: 'phone', type: 'tel', width: '14em', autoComplete: 'off' },
  { field: 'birthday', label: 'birthday', type: 'date', width: '12em', wareki: true },
  { field: 'email', label: 'email', type: 'email', width: '24em', autoComplete: 'off' },
]

const idOf = (f: string) => `person-${f}`

export function PersonFormPage({ id }: { id?: number }) {
  const { t, lang, notify } = useApp()
  const warekiOf = (s: FieldSpec) => (s.wareki && lang === 'ja' && formatWarekiDate(values[s.field])) || undefined
  const [original, setOriginal] = useState<PersonValues | null>(id === undefined ? emptyPerson() : null)
  const [values, setValues] = useState<PersonValues>(emptyPerson)
  const [loadError, setLoadError] = useState<unknown>(null)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [attempt, setAttempt] = useState(0)
  const [busy, setBusy] = useState(false)
  const [tick, setTick] = useState(0)
  useFocusFirstInvalid(attempt, errors, PERSON_FIELDS, idOf, 'person-errors')

  useEffect(() => {
    if (id === undefined) return
    const ctl = new AbortController()
    setLoadError(null)
    api
      .get<Person>(`/api/people/${id}`, { signal: ctl.signal })
      .then((p) => {
        const v = personValues(p)
        setOriginal(v)
        setValues(v)
      })
      .catch((e) => {
        if (!ctl.signal.aborted) setLoadError(e)
      })
    return () => ctl.abort()
  }, [id, tick])

  const set = (f: PersonField, v: string) => setValues((old) => ({ ...old, [f]: v }))

  const submit = async (ev: FormEvent) => {
    ev.preventDefault()
    if (busy || !original) return
    setBusy(true)
    try {
      if (id === undefined) {
        await api.post<Person>('/api/people', personBody(values))
        notify((t) => t.personCreated, 'success', '#/admin/people')
      } else {
        const body = personBody(values, original)
        if (Object.keys(body).length > 0) await api.patch<Person>(`/api/people/${id}`, body)
        notify((t) => t.personSaved, 'success', '#/admin/people')
      }
    } catch (e) {
      setBusy(false)
      setErrors(saveErrors(e, lang, PERSON_FIELDS, errorMessage(e, t, lang), t.formHasErrors))
      setAttempt((n) => n + 1)
    }
  }

  const title = id === undefined ? t.personNewHeading : t.personEditHeading
  if (loadError !== null)
    return (
      <Page title={title}>
        {isApiError(loadError, 404) ? <Text as="p">{t.personNotFound}</Text> : <LoadError error={loadError} retry={() => setTick((n) => n + 1)} />}
        <div>
          <TextLink href="#/admin/people">{t.backToPeople}</TextLink>
        </div>
      </Page>
    )
  if (!original)
    return (
      <Page title={title}>
        <Loader size="s" text={t.loading} />
      </Page>
    )

  return (
    <Page title={title}>
      <Base padding={1.5} className="card">
        <form onSubmit={submit} noValidate aria-label={title}>
          <Stack gap={1.25}>
            <FormErrorSummary id="person-errors" messages={errors['']} />
            {FIELD_SPECS.map((s) => (
              <FormControl
                key={s.field}
                label={{ text: t[s.label], htmlFor: idOf(s.field) }}
                statusLabels={s.required ? <RequiredLabel /> : undefined}
                helpMessage={s.help ? t[s.help] : undefined}
                errorMessages={errors[s.field]}
                supplementaryMessage={warekiOf(s)}
              >
                {s.field === 'employment_type' ? (
                  <Select
                    id={idOf(s.field)}
                    name={s.field}
                    value={values.employment_type}
                    onChangeValue={(v) => set('employment_type', v)}
                    hasBlank
                    decorators={{ blankLabel: () => t.selectBlank }}
                    options={EMPLOYMENT_TYPES.map((k) => ({ value: k, label: t[EMPLOYMENT_LABEL[k]] }))}
                  />
                ) : (
                  <Input
                    id={idOf(s.field)}
                    name={s.field}
                    type={s.type ?? 'text'}
                    autoComplete={s.autoComplete ?? 'off'}
                    value={values[s.field]}
                    onChange={(e) => set(s.field, e.target.value)}
                    width={s.width}
                  />
                )}
              </FormControl>
            ))}
            <Cluster gap={0.75}>
              <Button type="submit" variant="primary" loading={busy}>
                {t.save}
              </Button>
              <AnchorButton href="#/admin/people">{t.cancel}</AnchorButton>
            </Cluster>
          </Stack>
        </form>
      </Base>
    </Page>
  )
}
