// The ledgers (台帳): what the register API says (docs/internals/registers.md) and what the generic
// ledger pages derive from a ledger's schema — value display by type, the list's query string, the
// form's values and the JSON to send. Pure; see registers.test.ts.
import type { Lang, Messages } from './i18n'
import { formatDateTime } from './format'
import { isoDateToDisplay } from './forms'

// ---- the API's shapes ----

export type Localized = { ja: string; en: string }

export type FieldType = 'text' | 'textarea' | 'integer' | 'boolean' | 'date' | 'datetime' | 'enum' | 'ref' | 'person'

/** A choice of an enum (or of an integer with named values, e.g. 機密性 0 公開 / 1 社外秘 / 2 極秘). */
export type Choice = { value: string | number; ja: string; en: string }

export type RegisterField = {
  name: string
  type: FieldType
  label: Localized
  help?: Localized
  required?: boolean
  unique?: boolean
  source?: string
  computed?: boolean
  max?: number
  min?: number
  format?: 'mac' | 'ipv4' | 'email' | 'url'
  choices?: Choice[]
  ref?: string
}

export type RegisterSchema = {
  name: string
  label: Localized
  source?: string
  title: string
  hooks?: string
  fields: RegisterField[]
  list: string[]
  filters?: string[]
  search?: string[]
  sort?: string
  unique_together?: string[][]
  can_write?: boolean
}

/** One ledger in GET /api/registers. */
export type RegisterSummary = { name: string; label: Localized | string; source?: string; count: number; can_write?: boolean }

export type Value = string | number | boolean | null
export type RegisterRecord = {
  id: number
  created_at?: string
  updated_at?: string
  _labels?: Record<string, string>
  [field: string]: Value | Record<string, string> | undefined
}

export type Page<T> = { items: T[]; total: number; total_capped?: boolean; page: number; per_page: number }

export type HistoryChange = { field: string; old: Value; new: Value }
export type HistoryActor = string | number | { login?: string; name?: string; id?: number } | null
export type HistoryEntry = { at: string; actor: HistoryActor; action: 'create' | 'update' | 'delete' | string; changes: HistoryChange[] }

/** The rows of a list page. */
export const PER_PAGE = 50
/** The most records one call may ask for (the API's per_page limit): the choices of a ref field. */
export const MAX_PER_PAGE = 200

// ---- labels ----

/** A label in the UI language; a plain string is taken as it is. */
export function localized(label: Localized | string | undefined | null, lang: Lang): string {
  if (label == null) return ''
  if (typeof label === 'string') return label
  return (lang === 'ja' ? label.ja || label.en : label.en || label.ja) ?? ''
}

export function fieldByName(schema: Pick<RegisterSchema, 'fields'>, name: string): RegisterField | undefined {
  return schema.fields.find((f) => f.name === name)
}

/** A field's label in the UI language; the name itself for a field the schema does not know. */
export function fieldLabel(schema: Pick<RegisterSchema, 'fields'>, name: string, lang: Lang): string {
  const f = fieldByName(schema, name)
  return f ? localized(f.label, lang) : name
}

export function choiceLabel(field: RegisterField, value: string | number, lang: Lang): string {
  const c = field.choices?.find((x) => String(x.value) === String(value))
  return c ? (lang === 'ja' ? c.ja || c.en : c.en || c.ja) : String(value)
}

/** A field chosen from a list: an enum, or an integer whose values have names. */
export function hasChoices(field: RegisterField): boolean {
  return field.type === 'enum' || (field.type === 'integer' && (field.choices?.length ?? 0) > 0)
}

/** An enum field's choices as select options in the UI language. */
export function choiceOptions(field: RegisterField, lang: Lang): { value: string; label: string }[] {
  return (field.choices ?? []).map((c) => ({ value: String(c.value), label: choiceLabel(field, c.value, lang) }))
}

// ---- values for display ----

export const EMPTY = '—'

/**
 * A value as the list, the record page and the history show it: enum → its label, boolean →
 * はい/いいえ, date → 2026/04/01, datetime → 2026/04/01 09:05 (Japan time), ref/person → the text the
 * server gave in `_labels` (else `#id`). Empty → "—".
 */
export function formatValue(field: RegisterField | undefined, value: unknown, lang: Lang, t: Pick<Messages, 'yes' | 'no'>, label?: string): string {
  if (value === null || value === undefined || value === '') return EMPTY
  if (!field) return String(value)
  switch (field.type) {
    case 'boolean':
      return value === true || value === 1 || value === 'true' || value === '1' ? t.yes : t.no
    case 'date':
      return isoDateToDisplay(String(value))
    case 'datetime': {
      const d = new Date(String(value))
      return Number.isNaN(d.getTime()) ? String(value) : formatDateTime(d)
    }
    case 'enum':
      return choiceLabel(field, String(value), lang)
    case 'ref':
    case 'person':
      return label || `#${value}`
    case 'integer':
      return field.choices?.length ? choiceLabel(field, String(value), lang) : String(value)
    default:
      return String(value)
  }
}

/** A record's value of a field, formatted (with its `_labels` text for ref and person). */
export function recordValue(schema: Pick<RegisterSchema, 'fields'>, rec: RegisterRecord, name: string, lang: Lang, t: Pick<Messages, 'yes' | 'no'>): string {
  return formatValue(fieldByName(schema, name), rec[name], lang, t, rec._labels?.[name])
}

/** What names a record (its title field), for headings and the delete confirmation. */
export function recordTitle(schema: RegisterSchema, rec: RegisterRecord, lang: Lang, t: Pick<Messages, 'yes' | 'no'>): string {
  const v = recordValue(schema, rec, schema.title, lang, t)
  return v === EMPTY ? `#${rec.id}` : v
}

// ---- the list: search, filters, sort, page ----

export type ListState = { q: string; sort: string; page: number; filters: Record<string, string> }

export const emptyListState = (): ListState => ({ q: '', sort: '', page: 1, filters: {} })

/** The names the list itself uses in its query; a filter of the same name could not be told apart. */
const RESERVED = new Set(['q', 'sort', 'page', 'per_page', 'format', 'encoding'])

/** Fields offered as filters (only the kinds the contract allows). */
export function filterFields(schema: RegisterSchema): RegisterField[] {
  return (schema.filters ?? [])
    .filter((n) => !RESERVED.has(n))
    .map((n) => fieldByName(schema, n))
    .filter((f): f is RegisterField => !!f && (hasChoices(f) || ['boolean', 'ref', 'person'].includes(f.type)))
}

/**
 * `q=…&sort=…&page=…&FIELD=…` from the hash (after "?"): only known filters are kept, a bad page is
 * page 1, a sort on an unknown field is dropped.
 */
export function parseListQuery(query: string, schema?: RegisterSchema): ListState {
  const p = new URLSearchParams(query.replace(/^\?/, ''))
  const out = emptyListState()
  out.q = p.get('q') ?? ''
  const sort = p.get('sort') ?? ''
  if (/^-?[a-z][a-z0-9_]*$/.test(sort) && (!schema || sortable(schema).includes(sort.replace(/^-/, '')))) out.sort = sort
  const page = p.get('page') ?? ''
  out.page = /^[1-9]\d{0,6}$/.test(page) ? Number(page) : 1
  const allowed = schema ? filterFields(schema).map((f) => f.name) : null
  for (const [k, v] of p) {
    if (RESERVED.has(k) || v === '' || !/^[a-z][a-z0-9_]*$/.test(k)) continue
    if (allowed && !allowed.includes(k)) continue
    out.filters[k] = v
  }
  return out
}

/** The list's state as a query string, without the defaults (for the hash and the API). */
export function listQuery(s: ListState, opts: { paging?: boolean; sort?: boolean } = {}): string {
  const p = new URLSearchParams()
  const q = s.q.trim()
  if (q !== '') p.set('q', q)
  for (const k of Object.keys(s.filters).sort()) if (s.filters[k] !== '') p.set(k, s.filters[k])
  if (opts.sort !== false && s.sort !== '') p.set('sort', s.sort)
  if (opts.paging !== false && s.page > 1) p.set('page', String(s.page))
  return p.toString()
}

/** GET /api/registers/NAME/records?… for a list page. */
export function recordsPath(name: string, s: ListState, perPage = PER_PAGE): string {
  const q = listQuery(s)
  return `/api/registers/${name}/records?${q === '' ? '' : `${q}&`}per_page=${perPage}`
}

/** The hash of a list page in this state. */
export function listHash(name: string, s: ListState): string {
  const q = listQuery(s)
  return `#/ledgers/${name}${q === '' ? '' : `?${q}`}`
}

/** The export download: the whole ledger with the current search, filters and sort (not the page). */
export function exportHref(name: string, s: ListState, format: 'csv' | 'xlsx', encoding?: 'cp932'): string {
  const p = new URLSearchParams({ format })
  if (encoding) p.set('encoding', encoding)
  const rest = listQuery(s, { paging: false })
  return `/api/registers/${name}/export?${p.toString()}${rest === '' ? '' : `&${rest}`}`
}

/** Columns that may be sorted on: the list's columns. */
export function sortable(schema: RegisterSchema): string[] {
  return schema.list.filter((n) => !!fieldByName(schema, n))
}

/** The sort in force: the one chosen, else the ledger's default. */
export function effectiveSort(schema: RegisterSchema, s: ListState): string {
  return s.sort || schema.sort || ''
}

/** The aria-sort of a column header ('asc' | 'desc' | 'none'), as smarthr-ui's Th takes it. */
export function sortOf(column: string, sort: string): 'asc' | 'desc' | 'none' {
  if (sort === column) return 'asc'
  if (sort === `-${column}`) return 'desc'
  return 'none'
}

/** Clicking a header: ascending first, then descending, then ascending again. */
export function nextSort(column: string, sort: string): string {
  return sort === column ? `-${column}` : column
}

export function pageCount(total: number, perPage = PER_PAGE): number {
  return Math.max(1, Math.ceil(total / perPage))
}

/** 1-based first and last row shown on a page ({from: 0, to: 0} when empty). */
export function rowRange(total: number, page: number, perPage = PER_PAGE): { from: number; to: number } {
  if (total <= 0) return { from: 0, to: 0 }
  const from = (page - 1) * perPage + 1
  return { from: Math.min(from, total), to: Math.min(page * perPage, total) }
}

// ---- the form ----

/** The form's values: one string per field (a checkbox is "true" / "false"). */
export type FormValues = Record<string, string>

/** The fields a person fills in (computed ones are shown, never sent). */
export function inputFields(schema: Pick<RegisterSchema, 'fields'>): RegisterField[] {
  return schema.fields.filter((f) => !f.computed)
}

const JST_MS = 9 * 3600 * 1000

/** 2026-04-01T00:30:00Z → "2026-04-01T09:30" (a datetime-local value, in Japan time). */
export function utcToLocalInput(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  return new Date(d.getTime() + JST_MS).toISOString().slice(0, 16)
}

/** "2026-04-01T09:30" (Japan time, as typed) → "2026-04-01T00:30:00Z"; '' when it is no such value. */
export function localInputToUtc(local: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local)
  if (!m) return ''
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0)) - JST_MS
  const d = new Date(ms)
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** A stored value as the form's string. */
export function toInput(field: RegisterField, value: unknown): string {
  if (value === null || value === undefined) return field.type === 'boolean' ? 'false' : ''
  switch (field.type) {
    case 'boolean':
      return value === true || value === 1 || value === 'true' ? 'true' : 'false'
    case 'datetime':
      return utcToLocalInput(String(value))
    default:
      return String(value)
  }
}

/** The form's values for a new record (or an existing one). */
export function formValues(schema: Pick<RegisterSchema, 'fields'>, rec?: RegisterRecord | null): FormValues {
  const out: FormValues = {}
  for (const f of schema.fields) out[f.name] = toInput(f, rec ? rec[f.name] : undefined)
  return out
}

/** Full-width digits and minus (typed with a Japanese IME) as ASCII. */
function asciiDigits(s: string): string {
  return s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[－−ー]/g, '-')
}

/**
 * One form string as the JSON value to send; null when empty. A value that does not parse (an
 * integer "12a") is sent as typed, so that the server names the field and the rule.
 */
export function fromInput(field: RegisterField, raw: string): Value {
  const s = field.type === 'textarea' ? raw.replace(/^\s*\n/, '').trimEnd() : raw.trim()
  if (field.type === 'boolean') return s === 'true'
  if (s === '') return null
  switch (field.type) {
    case 'integer': {
      const n = asciiDigits(s)
      return /^-?\d{1,15}$/.test(n) ? Number(n) : s
    }
    case 'ref':
    case 'person':
      return /^\d{1,15}$/.test(s) ? Number(s) : s
    case 'datetime':
      return localInputToUtc(s) || s
    default:
      return s
  }
}

/**
 * The JSON body for POST (create: the fields filled in, and every checkbox) or PATCH (edit: only
 * the fields changed; an emptied field is null, which clears it). Computed fields are never sent.
 */
export function recordBody(schema: Pick<RegisterSchema, 'fields'>, values: FormValues, original?: FormValues): Record<string, Value> {
  const out: Record<string, Value> = {}
  for (const f of inputFields(schema)) {
    const v = fromInput(f, values[f.name] ?? '')
    if (!original) {
      if (v !== null) out[f.name] = v
    } else if (v !== fromInput(f, original[f.name] ?? '')) {
      out[f.name] = v
    }
  }
  return out
}

// ---- history ----

export function actorText(a: HistoryActor): string {
  if (a === null || a === undefined || a === '') return EMPTY
  if (typeof a === 'string' || typeof a === 'number') return String(a)
  return a.name && a.login ? `${a.name}（${a.login}）` : a.login || a.name || (a.id !== undefined ? `#${a.id}` : EMPTY)
}

/**
 * One change as "項目：旧 → 新" (a creation shows the new value only, a deletion the old one). `names`
 * gives the display text of ref/person ids the page knows.
 */
export function changeText(
  schema: Pick<RegisterSchema, 'fields'>,
  c: HistoryChange,
  action: string,
  lang: Lang,
  t: Pick<Messages, 'yes' | 'no' | 'labelSeparator'>,
  names?: (field: RegisterField, value: Value) => string | undefined,
): string {
  const f = fieldByName(schema, c.field)
  const show = (v: Value) => formatValue(f, v, lang, t, f && v !== null ? names?.(f, v) : undefined)
  const label = f ? localized(f.label, lang) : c.field
  if (action === 'create') return `${label}${t.labelSeparator}${show(c.new)}`
  if (action === 'delete') return `${label}${t.labelSeparator}${show(c.old)}`
  return `${label}${t.labelSeparator}${show(c.old)} → ${show(c.new)}`
}
