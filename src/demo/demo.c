#include "demo/demo.h"
#include "journal/journal.h"

int
demo_populate(struct mamori *m, const struct mm_actor *who, struct mm_err *err)
{
	/* a month of the system administrator's operation journal (001 システム管理規程 §4.11) */
	static const struct {
		const char *category, *text;
	} entries[] = {
	    {"login", "ファイルサーバ（fs01）にメンテナンスのためログイン 09:02、ログオフ 09:40"},
	    {"config", "給与計算システムのバックアップ保存先を NAS02 に変更（申請 2026-031 承認済み）"},
	    {"backup", "全社ファイルサーバの週次フルバックアップ完了（LTO-8 テープ No.14、金庫へ保管）"},
	    {"log_storage", "ファイアウォールの10月分ログをログサーバへ保存（保存期間: 6か月）"},
	    {"error", "経理部 PC-023 でディスク容量不足の警告。一時ファイルを削除し是正。再発防止として容量監視を設定"},
	    {"other", "情報セキュリティ委員会へ前月分アクセスログ点検結果を報告（異常なし）"},
	};
	int rc;

	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		if ((rc = journal_add(m, m->md_store, who, entries[i].category, entries[i].text, NULL,
		    err)) != 0)
			return rc;
	if ((rc = demo_ledgers(m, who, err)) != 0)
		return rc;
	return demo_mynumber(m, who, err);
}
