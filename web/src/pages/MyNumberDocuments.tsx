// 本人確認書類の画像 on a subject's page: when the profile allows it ([mynumber] document_images), the
// handler keeps the image of a 番号確認書類 or 身元確認書類 until the identity check is recorded, looks
// at it in a new tab (the server sends it decrypted and uncached), and may delete it; recording the
// check deletes every image of the subject. The image's bytes go from the file input straight to the
// server and are never read or kept by the page. docs/internals/vault.md, "Images of identity documents".
import { useEffect, useState, type FormEvent } from 'react'
import { Base, Button, Cluster, FormControl, Heading, InputFile, NotificationBar, RequiredLabel, Select, Stack, Table, TableReel, Td, Text, TextLink, Th } from 'smarthr-ui'
import { api, isApiError } from '../api'
import { errorMessage, LoadError } from '../components'
import { useApp } from '../context'
import { fieldErrors, type FieldErrors } from '../forms'
import { fmt, type MessageKey } from '../i18n'
import { DeleteDialog, useGet } from './Ledgers'
import { whenText } from './MyNumberCommon'

export type DocumentKind = 'number' | 'identity'
export type KeptDocument = {
  id: number
  subject_id: number
  kind: DocumentKind
  content_type: string
  size: number
  uploaded_by: string
  uploaded_at: string
}
type Documents = { allowed: boolean; max_bytes: number; items: KeptDocument[] }

const KIND_LABEL: Record<DocumentKind, MessageKey> = { number: 'mnDocKindNumber', identity: 'mnDocKindIdentity' }
const TYPE_LABEL: Record<string, string> = { 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'application/pdf': 'PDF' }

/** 1,234,567 bytes as "1.2 MB" (5,242,880 as "5 MB"); below a megabyte in KB. */
export function sizeText(bytes: number): string {
  const mb = bytes / (1024 * 1024)
  return mb >= 1 ? `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`
}

/**
 * The images of a subject awaiting its identity check. `checks` (how many checks are recorded) reloads
 * the list when a check was just recorded, which erased them.
 */
export function IdentityDocuments({ subjectId, canCollect, checks }: { subjectId: number; canCollect: boolean; checks: number }) {
  const { t, lang, notify } = useApp()
  const docsGet = useGet<Documents>(`/api/mynumber/subjects/${subjectId}/documents`)
  const { reload } = docsGet
  const [kind, setKind] = useState<DocumentKind>('number')
  const [file, setFile] = useState<File | null>(null)
  const [inputKey, setInputKey] = useState(0)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [busy, setBusy] = useState(false)
  const [purging, setPurging] = useState<KeptDocument | null>(null)
  useEffect(() => {
    if (checks > 0) reload()
  }, [checks, reload])

  const docs = docsGet.data
  if (docsGet.error !== null) return isApiError(docsGet.error, 403) ? null : <LoadError error={docsGet.error} retry={reload} />
  if (!docs) return null
  if (!docs.allowed && docs.items.length === 0) return canCollect ? <Text as="p" size="S" color="TEXT_GREY" className="mn-docs-off">{t.mnDocsOff}</Text> : null

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy) return
    if (!file) {
      setErrors({ file: [t.mnDocNoFile] })
      return
    }
    setErrors({})
    setBusy(true)
    try {
      await api.upload(`/api/mynumber/subjects/${subjectId}/documents?kind=${kind}`, file, 'application/octet-stream')
      notify((t) => t.mnDocUploaded, 'success')
      setFile(null)
      setInputKey((n) => n + 1) // a new, empty file input: the chosen file is not kept
      reload()
    } catch (err) {
      const fe = fieldErrors(err, lang, ['file', 'kind'])
      if (!fe.file && !fe.kind) fe.file = [errorMessage(err, t, lang)]
      delete fe['']
      setErrors(fe)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Stack gap={0.75} className="mn-docs">
      <Heading type="blockTitle">{t.mnDocsHeading}</Heading>
      <NotificationBar type="info">{t.mnDocsLead}</NotificationBar>
      {docs.items.length === 0 ? (
        <Text as="p">{t.mnDocsNone}</Text>
      ) : (
        <Base className="table-base">
          <TableReel>
            <Table className="data-table mn-docs-table" aria-label={t.mnDocsHeading}>
              <thead>
                <tr>
                  <Th>{t.mnDocKind}</Th>
                  <Th>{t.mnDocType}</Th>
                  <Th align="right">{t.mnDocSize}</Th>
                  <Th>{t.mnDocUploadedBy}</Th>
                  <Th>{t.mnDocUploadedAt}</Th>
                  <Th>{t.actions}</Th>
                </tr>
              </thead>
              <tbody>
                {docs.items.map((d) => (
                  <tr key={d.id}>
                    <Td>{t[KIND_LABEL[d.kind]] ?? d.kind}</Td>
                    <Td>{TYPE_LABEL[d.content_type] ?? d.content_type}</Td>
                    <Td align="right" className="nowrap">{sizeText(d.size)}</Td>
                    <Td className="nowrap">{d.uploaded_by}</Td>
                    <Td className="nowrap">{whenText(d.uploaded_at)}</Td>
                    <Td className="nowrap">
                      <Cluster gap={0.75} align="center">
                        {canCollect && (
                          <TextLink href={`/api/mynumber/documents/${d.id}`} target="_blank" rel="noopener noreferrer" aria-label={fmt(t.mnDocViewLabel, { kind: t[KIND_LABEL[d.kind]] })}>
                            {t.mnDocView}
                          </TextLink>
                        )}
                        {canCollect && (
                          <Button size="s" variant="danger" onClick={() => setPurging(d)}>
                            {t.mnDocPurge}
                          </Button>
                        )}
                      </Cluster>
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </TableReel>
        </Base>
      )}
      {canCollect && docs.allowed && (
        <form onSubmit={submit} noValidate aria-label={t.mnDocUpload} className="mn-docs-upload">
          <Stack gap={0.75}>
            <Cluster gap={1.25} align="flex-end">
              <FormControl label={{ text: t.mnDocKind, htmlFor: 'mn-doc-kind' }} statusLabels={<RequiredLabel />} errorMessages={errors.kind}>
                <Select
                  id="mn-doc-kind"
                  name="kind"
                  value={kind}
                  onChange={(e) => setKind(e.currentTarget.value as DocumentKind)}
                  options={[
                    { value: 'number', label: t.mnDocKindNumber },
                    { value: 'identity', label: t.mnDocKindIdentity },
                  ]}
                />
              </FormControl>
              <FormControl label={{ text: fmt(t.mnDocFile, { size: sizeText(docs.max_bytes) }), htmlFor: 'mn-doc-file' }} statusLabels={<RequiredLabel />} errorMessages={errors.file}>
                <InputFile
                  key={inputKey}
                  name="file"
                  label={t.mnDocChoose}
                  accept="image/jpeg,image/png,application/pdf"
                  onChange={(files) => {
                    setFile(files[0] ?? null)
                    setErrors({})
                  }}
                />
              </FormControl>
            </Cluster>
            <div>
              <Button type="submit" variant="primary" loading={busy}>
                {t.mnDocUpload}
              </Button>
            </div>
          </Stack>
        </form>
      )}
      {purging && (
        <DeleteDialog
          title={t[KIND_LABEL[purging.kind]]}
          heading={t.mnDocPurgeTitle}
          body={fmt(t.mnDocPurgeBody, { kind: t[KIND_LABEL[purging.kind]] })}
          run={() => api.delete(`/api/mynumber/documents/${purging.id}`)}
          onClose={() => setPurging(null)}
          onDone={() => {
            setPurging(null)
            notify((t) => t.mnDocPurged, 'success')
            reload()
          }}
        />
      )}
    </Stack>
  )
}
