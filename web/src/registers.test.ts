import { describe, expect, it } from 'vitest'
import { en, ja } from './i18n'
import {
  actorText,
  changeText,
  choiceOptions,
  effectiveSort,
  exportHref,
  filterFields,
  formatValue,
  formValues,
  fromInput,
  listHash,
  listQuery,
  localInputToUtc,
  localized,
  nextSort,
  pageCount,
  parseListQuery,
  recordBody,
  recordsPath,
  recordTitle,
  recordValue,
  rowRange,
  sortOf,
  utcToLocalInput,
  type RegisterField,
  type RegisterRecord,
  type RegisterSchema,
} from './registers'
import { hashOf, routeFromHash, sectionOf, viewKeyOf } from './routes'

// The example ledger of docs/internals/registers.md, with one field of every other type.
const devices: RegisterSchema = {
  name: 'devices',
  label: { ja: 'PC・サーバ台帳', en: 'PC and server register' },
  source: '002 第5条',
  title: 'asset_no',
  fields: [
    { name: 'asset_no', type: 'text', label: { ja: '管理番号', en: 'Asset number' }, required: true, unique: true, max: 40 },
    {
      name: 'kind',
      type: 'enum',
      label: { ja: '種別', en: 'Kind' },
      choices: [
        { value: 'pc', ja: 'PC', en: 'PC' },
        { value: 'server', ja: 'サーバ', en: 'Server' },
      ],
    },
    { name: 'screen_lock_minutes', type: 'integer', label: { ja: '画面ロック（分）', en: 'Screen lock (minutes)' }, min: 0, max: 1440 },
    { name: 'user_id', type: 'person', label: { ja: '利用者', en: 'User' } },
    { name: 'notes', type: 'textarea', label: { ja: '備考', en: 'Notes' }, max: 2000 },
    { name: 'encrypted', type: 'boolean', label: { ja: '暗号化', en: 'Encrypted' } },
    { name: 'bought_on', type: 'date', label: { ja: '購入日', en: 'Bought on' } },
    { name: 'checked_at', type: 'datetime', label: { ja: '点検日時', en: 'Checked at' } },
    { name: 'location_id', type: 'ref', ref: 'locations', label: { ja: '設置場所', en: 'Location' } },
    { name: 'risk', type: 'integer', label: { ja: 'リスク値', en: 'Risk value' }, computed: true },
    {
      name: 'level',
      type: 'integer',
      label: { ja: '機密性', en: 'Confidentiality' },
      min: 0,
      max: 2,
      choices: [
        { value: 0, ja: '公開', en: 'Public' },
        { value: 1, ja: '社外秘', en: 'Internal' },
        { value: 2, ja: '極秘', en: 'Secret' },
      ],
    },
  ],
  list: ['asset_no', 'kind', 'user_id'],
  filters: ['kind', 'user_id', 'encrypted', 'notes', 'page', 'level'],
  search: ['asset_no', 'notes'],
  sort: 'asset_no',
  can_write: true,
}

const f = (name: string) => devices.fields.find((x) => x.name === name) as RegisterField

describe('labels', () => {
  it('takes the label of the UI language', () => {
    expect(localized(devices.label, 'ja')).toBe('PC・サーバ台帳')
    expect(localized(devices.label, 'en')).toBe('PC and server register')
    expect(localized('そのまま', 'en')).toBe('そのまま')
    expect(localized({ ja: '日本語だけ', en: '' }, 'en')).toBe('日本語だけ')
    expect(localized(undefined, 'ja')).toBe('')
  })
})

describe('values by type', () => {
  it('shows each type as people read it', () => {
    expect(formatValue(f('kind'), 'server', 'ja', ja)).toBe('サーバ')
    expect(formatValue(f('kind'), 'server', 'en', en)).toBe('Server')
    expect(formatValue(f('kind'), 'tablet', 'ja', ja)).toBe('tablet') // a value the schema does not know
    expect(formatValue(f('encrypted'), true, 'ja', ja)).toBe('はい')
    expect(formatValue(f('encrypted'), false, 'ja', ja)).toBe('いいえ')
    expect(formatValue(f('encrypted'), 1, 'en', en)).toBe('Yes')
    expect(formatValue(f('bought_on'), '2026-04-01', 'ja', ja)).toBe('2026/04/01')
    // stored in UTC, shown in Japan time
    expect(formatValue(f('checked_at'), '2026-03-31T15:30:00Z', 'ja', ja)).toBe('2026/04/01 00:30')
    expect(formatValue(f('screen_lock_minutes'), 0, 'ja', ja)).toBe('0')
    expect(formatValue(f('user_id'), 3, 'ja', ja, 'E001 佐藤 花子')).toBe('E001 佐藤 花子')
    expect(formatValue(f('location_id'), 9, 'ja', ja)).toBe('#9')
    expect(formatValue(f('asset_no'), 'PC-001', 'ja', ja)).toBe('PC-001')
    // an integer with named values shows the name
    expect(formatValue(f('level'), 1, 'ja', ja)).toBe('社外秘')
    expect(formatValue(f('level'), 0, 'en', en)).toBe('Public')
    expect(choiceOptions(f('level'), 'ja')).toEqual([
      { value: '0', label: '公開' },
      { value: '1', label: '社外秘' },
      { value: '2', label: '極秘' },
    ])
  })
  it('shows an empty value as a dash', () => {
    for (const v of [null, undefined, '']) expect(formatValue(f('asset_no'), v, 'ja', ja)).toBe('—')
  })
  it('takes ref and person texts from the record’s _labels', () => {
    const rec: RegisterRecord = { id: 4, asset_no: 'PC-004', kind: 'pc', user_id: 3, _labels: { user_id: 'E001 佐藤 花子' } }
    expect(recordValue(devices, rec, 'user_id', 'ja', ja)).toBe('E001 佐藤 花子')
    expect(recordValue(devices, rec, 'kind', 'ja', ja)).toBe('PC')
    expect(recordTitle(devices, rec, 'ja', ja)).toBe('PC-004')
    expect(recordTitle(devices, { id: 5 }, 'ja', ja)).toBe('#5')
  })
})

describe('the list’s query', () => {
  it('reads search, sort, page and known filters from the hash', () => {
    const s = parseListQuery('q=PC%20001&sort=-kind&page=3&kind=pc&user_id=7&bogus=1&notes=x', devices)
    expect(s).toEqual({ q: 'PC 001', sort: '-kind', page: 3, filters: { kind: 'pc', user_id: '7' } })
  })
  it('drops what it cannot use', () => {
    expect(parseListQuery('page=0&sort=nonsense', devices)).toEqual({ q: '', sort: '', page: 1, filters: {} })
    expect(parseListQuery('page=abc&sort=-notes', devices).page).toBe(1)
    expect(parseListQuery('?sort=-notes', devices).sort).toBe('') // not a column of the list
    expect(parseListQuery('kind=', devices).filters).toEqual({})
  })
  it('offers filters only for enum, boolean, ref and person fields, never a reserved name', () => {
    expect(filterFields(devices).map((x) => x.name)).toEqual(['kind', 'user_id', 'encrypted', 'level'])
  })
  it('writes the state back without the defaults, in a stable order', () => {
    expect(listQuery({ q: '  ', sort: '', page: 1, filters: {} })).toBe('')
    expect(listQuery({ q: 'ノート PC', sort: '-asset_no', page: 2, filters: { user_id: '7', kind: 'pc', encrypted: '' } })).toBe(
      'q=%E3%83%8E%E3%83%BC%E3%83%88+PC&kind=pc&user_id=7&sort=-asset_no&page=2',
    )
    const s = parseListQuery('q=a%26b&kind=pc&sort=-kind&page=2', devices)
    expect(parseListQuery(listQuery(s), devices)).toEqual(s)
  })
  it('builds the API path, the hash and the export links', () => {
    const s = { q: 'PC', sort: '-kind', page: 2, filters: { kind: 'pc' } }
    expect(recordsPath('devices', s)).toBe('/api/registers/devices/records?q=PC&kind=pc&sort=-kind&page=2&per_page=50')
    expect(recordsPath('devices', { q: '', sort: '', page: 1, filters: {} })).toBe('/api/registers/devices/records?per_page=50')
    expect(listHash('devices', s)).toBe('#/ledgers/devices?q=PC&kind=pc&sort=-kind&page=2')
    expect(listHash('devices', { q: '', sort: '', page: 1, filters: {} })).toBe('#/ledgers/devices')
    // the whole ledger with the current search, filters and sort: no page
    expect(exportHref('devices', s, 'csv')).toBe('/api/registers/devices/export?format=csv&q=PC&kind=pc&sort=-kind')
    expect(exportHref('devices', s, 'csv', 'cp932')).toBe('/api/registers/devices/export?format=csv&encoding=cp932&q=PC&kind=pc&sort=-kind')
    expect(exportHref('devices', { q: '', sort: '', page: 1, filters: {} }, 'xlsx')).toBe('/api/registers/devices/export?format=xlsx')
  })
  it('sorts by a header: ascending, then descending; the ledger’s default when none is chosen', () => {
    expect(effectiveSort(devices, parseListQuery('', devices))).toBe('asset_no')
    expect(sortOf('asset_no', 'asset_no')).toBe('asc')
    expect(sortOf('asset_no', '-asset_no')).toBe('desc')
    expect(sortOf('kind', 'asset_no')).toBe('none')
    expect(nextSort('asset_no', 'asset_no')).toBe('-asset_no')
    expect(nextSort('asset_no', '-asset_no')).toBe('asset_no')
    expect(nextSort('kind', '-asset_no')).toBe('kind')
  })
  it('counts pages and rows', () => {
    expect(pageCount(0)).toBe(1)
    expect(pageCount(50)).toBe(1)
    expect(pageCount(51)).toBe(2)
    expect(rowRange(0, 1)).toEqual({ from: 0, to: 0 })
    expect(rowRange(120, 1)).toEqual({ from: 1, to: 50 })
    expect(rowRange(120, 3)).toEqual({ from: 101, to: 120 })
  })
})

describe('the form', () => {
  it('converts Japan time from a datetime-local input to UTC and back', () => {
    expect(localInputToUtc('2026-04-01T09:30')).toBe('2026-04-01T00:30:00Z')
    expect(localInputToUtc('2026-04-01T08:15:20')).toBe('2026-03-31T23:15:20Z')
    expect(localInputToUtc('2026-04-01')).toBe('')
    expect(utcToLocalInput('2026-03-31T23:15:00Z')).toBe('2026-04-01T08:15')
    expect(utcToLocalInput('2026-04-01T00:30:00+00:00')).toBe('2026-04-01T09:30')
    expect(utcToLocalInput('nonsense')).toBe('')
  })
  it('turns each input into the JSON value of its type', () => {
    expect(fromInput(f('screen_lock_minutes'), ' 15 ')).toBe(15)
    expect(fromInput(f('screen_lock_minutes'), '１５')).toBe(15) // typed with a Japanese IME
    expect(fromInput(f('screen_lock_minutes'), '12a')).toBe('12a') // the server names the field and the rule
    expect(fromInput(f('screen_lock_minutes'), '')).toBeNull()
    expect(fromInput(f('encrypted'), 'true')).toBe(true)
    expect(fromInput(f('encrypted'), 'false')).toBe(false)
    expect(fromInput(f('user_id'), '3')).toBe(3)
    expect(fromInput(f('location_id'), '12')).toBe(12)
    expect(fromInput(f('checked_at'), '2026-04-01T09:30')).toBe('2026-04-01T00:30:00Z')
    expect(fromInput(f('kind'), 'pc')).toBe('pc')
    expect(fromInput(f('level'), '2')).toBe(2) // a named integer is still a number
    expect(fromInput(f('asset_no'), '  PC-001 ')).toBe('PC-001')
    expect(fromInput(f('notes'), '1行目\n  2行目  \n')).toBe('1行目\n  2行目')
  })
  it('fills the form from a record (and with defaults for a new one)', () => {
    const empty = formValues(devices)
    expect(empty.asset_no).toBe('')
    expect(empty.encrypted).toBe('false')
    const v = formValues(devices, { id: 1, asset_no: 'PC-001', screen_lock_minutes: 10, encrypted: true, checked_at: '2026-03-31T23:15:00Z', user_id: null })
    expect(v).toMatchObject({ asset_no: 'PC-001', screen_lock_minutes: '10', encrypted: 'true', checked_at: '2026-04-01T08:15', user_id: '', kind: '' })
  })
  it('sends the fields filled in (and every checkbox) on creation, never a computed one', () => {
    const v = { ...formValues(devices), asset_no: 'PC-001', kind: 'pc', screen_lock_minutes: '5000', risk: '9' }
    expect(recordBody(devices, v)).toEqual({ asset_no: 'PC-001', kind: 'pc', screen_lock_minutes: 5000, encrypted: false })
  })
  it('sends only the changed fields on edit; an emptied field is null', () => {
    const rec: RegisterRecord = { id: 1, asset_no: 'PC-001', kind: 'pc', screen_lock_minutes: 10, notes: 'メモ', encrypted: false, user_id: 3, risk: 2 }
    const original = formValues(devices, rec)
    expect(recordBody(devices, original, original)).toEqual({})
    const edited = { ...original, screen_lock_minutes: '5', notes: '', encrypted: 'true', asset_no: 'PC-001 ', risk: '7' }
    expect(recordBody(devices, edited, original)).toEqual({ screen_lock_minutes: 5, notes: null, encrypted: true })
    expect(recordBody(devices, { ...original, user_id: '4', kind: 'server' }, original)).toEqual({ user_id: 4, kind: 'server' })
  })
})

describe('history', () => {
  const t = { ...ja }
  it('writes a change as 項目：旧 → 新 with the field labels and values by type', () => {
    expect(changeText(devices, { field: 'screen_lock_minutes', old: 10, new: 5 }, 'update', 'ja', t)).toBe('画面ロック（分）：10 → 5')
    expect(changeText(devices, { field: 'kind', old: 'pc', new: 'server' }, 'update', 'ja', t)).toBe('種別：PC → サーバ')
    expect(changeText(devices, { field: 'kind', old: 'pc', new: 'server' }, 'update', 'en', en)).toBe('Kind: PC → Server')
    expect(changeText(devices, { field: 'notes', old: null, new: 'メモ' }, 'update', 'ja', t)).toBe('備考：— → メモ')
    expect(changeText(devices, { field: 'asset_no', old: null, new: 'PC-001' }, 'create', 'ja', t)).toBe('管理番号：PC-001')
    expect(changeText(devices, { field: 'asset_no', old: 'PC-001', new: null }, 'delete', 'ja', t)).toBe('管理番号：PC-001')
    expect(changeText(devices, { field: 'gone', old: 'a', new: 'b' }, 'update', 'ja', t)).toBe('gone：a → b')
  })
  it('names people and records by the texts the page knows', () => {
    const names = (_f: RegisterField, v: unknown) => (v === 3 ? 'E001 佐藤 花子' : undefined)
    expect(changeText(devices, { field: 'user_id', old: 3, new: 4 }, 'update', 'ja', t, names)).toBe('利用者：E001 佐藤 花子 → #4')
  })
  it('names the actor', () => {
    expect(actorText('officer')).toBe('officer')
    expect(actorText({ login: 'officer', name: '山田 太郎' })).toBe('山田 太郎（officer）')
    expect(actorText({ id: 2 })).toBe('#2')
    expect(actorText(null)).toBe('—')
  })
})

describe('ledger routes', () => {
  it('parses the ledger hashes', () => {
    expect(routeFromHash('#/ledgers')).toEqual({ page: 'ledgers' })
    expect(routeFromHash('#/ledgers/devices')).toEqual({ page: 'ledger', name: 'devices', query: '' })
    expect(routeFromHash('#/ledgers/devices?q=PC&page=2')).toEqual({ page: 'ledger', name: 'devices', query: 'q=PC&page=2' })
    expect(routeFromHash('#/ledgers/user_ids/new')).toEqual({ page: 'ledgerNew', name: 'user_ids' })
    expect(routeFromHash('#/ledgers/devices/42')).toEqual({ page: 'ledgerRecord', name: 'devices', id: 42 })
    expect(routeFromHash('#/ledgers/devices/import')).toEqual({ page: 'ledgerImport', name: 'devices' })
  })
  it('refuses what is no ledger or no record', () => {
    expect(routeFromHash('#/ledgers/Devices')).toEqual({ page: 'ledgers' })
    expect(routeFromHash('#/ledgers/../admin')).toEqual({ page: 'ledgers' })
    expect(routeFromHash('#/ledgers/devices/0')).toEqual({ page: 'ledger', name: 'devices', query: '' })
    expect(routeFromHash('#/ledgers/devices/1/2')).toEqual({ page: 'ledgers' })
  })
  it('round-trips', () => {
    for (const h of ['#/ledgers', '#/ledgers/devices', '#/ledgers/devices?q=PC&sort=-kind', '#/ledgers/devices/new', '#/ledgers/devices/7', '#/ledgers/devices/import'])
      expect(hashOf(routeFromHash(h))).toBe(h)
  })
  it('keeps the 台帳 navigation item current, and a list the same view whatever its query', () => {
    for (const h of ['#/ledgers', '#/ledgers/devices', '#/ledgers/devices/new', '#/ledgers/devices/7', '#/ledgers/devices/import'])
      expect(sectionOf(routeFromHash(h).page)).toBe('ledgers')
    expect(viewKeyOf(routeFromHash('#/ledgers/devices?q=PC&page=3'))).toBe('#/ledgers/devices')
    expect(viewKeyOf(routeFromHash('#/ledgers/devices/7'))).toBe('#/ledgers/devices/7')
  })
})
