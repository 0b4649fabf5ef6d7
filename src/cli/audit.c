/* mamori audit verify|checkpoint: prove the audit trail is intact. */
#include "cli/cli.h"
#include "base/buf.h"
#include "base/fs.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
    "usage: mamori audit verify [--data DIR] [--checkpoint FILE]\n"
    "       mamori audit checkpoint [--data DIR]\n\n"
    "verify      recomputes the hash chain of every event and checks every stored checkpoint's\n"
    "            signature. With --checkpoint FILE (a checkpoint printed earlier and kept\n"
    "            elsewhere) it also detects events removed from the end and rollbacks.\n"
    "            Exit 0 when intact; exit 1 naming the first bad event.\n"
    "checkpoint  seals the trail now and prints the signed checkpoint: keep it on paper or on\n"
    "            another machine. Checkpoints are also made automatically (see [audit] in\n"
    "            mamori policy show).\n";

static int
verify(struct mamori *m, const char *file)
{
	struct audit_checkpoint cp, *ext = NULL;
	struct audit_verify_result res;
	struct mm_err err = {0};
	struct mm_buf b;
	int rc;

	if (file) {
		mm_buf_init(&b, 4096);
		rc = mm_fs_read(file, &b, &err);
		if (rc == 0)
			rc = audit_checkpoint_parse(b.b_data ? b.b_data : "", b.b_len, &cp, &err);
		mm_buf_free(&b);
		if (rc != 0) {
			fprintf(stderr, "mamori audit: %s: %s\n", file, err.msg);
			return rc == MM_EINVAL ? EXIT_USAGE : EXIT_FAIL;
		}
		ext = &cp;
	}
	if (audit_verify(m->md_store, m->md_sign_pk, ext, &res, &err) != 0)
		return cli_fail("audit", &err);
	if (res.bad_seq != 0) {
		fprintf(stderr, "mamori audit: NOT INTACT at event %" PRId64 ": %s\n", res.bad_seq, res.reason);
		printf("bad event: %" PRId64 "\n", res.bad_seq);
		return EXIT_FAIL;
	}
	printf("intact: %" PRId64 " events, head %s, %" PRId64 " checkpoint%s checked\n", res.events,
	    res.head, res.checkpoints, res.checkpoints == 1 ? "" : "s");
	return EXIT_OK;
}

static int
checkpoint(struct mamori *m)
{
	struct audit_checkpoint cp;
	struct mm_err err = {0};
	struct mm_actor who;
	char text[512];
	int rc;

	cli_actor(&who);
	if ((rc = store_begin(m->md_store, &err)) != 0)
		return cli_fail("audit", &err);
	/* the checkpoint covers its own event, so the export itself is on the record */
	rc = mamori_audit(m, m->md_store, &who, &(struct audit_event){.action = "audit.checkpoint",
	    .target_type = "audit_trail", .target_id = "1", .access = AUDIT_OUTPUT,
	    .outcome = "success"}, NULL, &err);
	if (rc == 0)
		rc = audit_checkpoint_make(m->md_store, m->md_sign_sk, &cp, &err);
	if (rc == 0)
		rc = store_commit(m->md_store, &err);
	else
		store_rollback(m->md_store);
	if (rc != 0)
		return cli_fail("audit", &err);
	audit_checkpoint_format(&cp, text, sizeof(text));
	fputs(text, stdout);
	return EXIT_OK;
}

int
cmd_audit(int argc, char **argv)
{
	const char *data = NULL, *file = NULL, *pos[1];
	struct cli_opt opts[] = {{"data", 1, &data}, {"checkpoint", 1, &file}, {NULL, 0, NULL}};
	struct mamori *m;
	int npos, rc;

	if (cli_wants_help(argc, argv)) {
		fputs(help, stdout);
		return EXIT_OK;
	}
	if ((rc = cli_parse("audit", argc, argv, opts, pos, 1, &npos)) != 0)
		return rc;
	if (npos != 1 || (strcmp(pos[0], "verify") != 0 && strcmp(pos[0], "checkpoint") != 0))
		return cli_usage("audit", "expected 'verify' or 'checkpoint'");
	if (file && strcmp(pos[0], "verify") != 0)
		return cli_usage("audit", "--checkpoint goes with verify");
	if ((rc = cli_open("audit", data, &m)) != 0)
		return rc;
	rc = strcmp(pos[0], "verify") == 0 ? verify(m, file) : checkpoint(m);
	mamori_close(m);
	return rc;
}
