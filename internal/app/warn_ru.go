package app

import "github.com/codescoring-gate/codescoring-gate/internal/i18n"

// msgJenkinsCommit warns that GIT_COMMIT of a Jenkins pull request build
// is a merge commit CodeScoring never sees.
const msgJenkinsCommit = "the commit is GIT_COMMIT of a Jenkins pull request build, which is the local merge commit " +
	"when Jenkins merges the pull request into its target: CodeScoring never sees that commit. " +
	"Pass --commit \"$(git rev-parse HEAD^2)\" (the pull request's head) in such builds"

// warnRU is each warning of app in Russian, its annotation title and its
// message format, keyed by the English one, with the same verbs in the
// same order (a test keeps every title and every r.tr text in it). Input
// names, variables and commands stay as they are typed.
var warnRU = map[string]string{
	"Job summary":                        "Сводка задания",
	"Pull request":                       "Pull request",
	"Commit":                             "Коммит",
	"CodeScoring over plain http":        "CodeScoring по незащищенному http",
	"Report files":                       "Файлы отчетов",
	"PR comment":                         "Комментарий в PR",
	"PR comment not written":             "Комментарий в PR не написан",
	msgNoteTitle:                         "Заметка в merge request",
	"CodeScoring doctor":                 "CodeScoring doctor",
	"write the job summary: %v":          "сводка задания не записана: %v",
	"warning: %s":                        "предупреждение: %s",
	"warning: write the job summary: %v": "предупреждение: сводка задания не записана: %v",
	"warning: write the report: %v":      "предупреждение: отчет не выведен: %v",
	"error: write the step outputs to GITHUB_OUTPUT: %v":                     "ошибка: выходные параметры шага не записаны в GITHUB_OUTPUT: %v",
	"read the pull request event: %v; the gate goes on without a PR comment": "событие pull request не прочитано: %v; гейт продолжает без комментария в PR",
	msgJenkinsCommit: "коммит — GIT_COMMIT сборки pull request в Jenkins, то есть локальный merge-коммит, " +
		"когда Jenkins сливает pull request с целевой веткой: CodeScoring этот коммит никогда не видит. " +
		"В таких сборках передайте --commit \"$(git rev-parse HEAD^2)\" (голову pull request)",
	msgClearText:    "CodeScoring на %s доступен по незащищенному http: токен передается незашифрованным; задайте %s с адресом https://",
	msgFilesVerdict: " (вердикт не изменился)",
	"no `github-token`: the result is in the job summary only; pass github-token (the action's default is github.token)": "нет `github-token`: результат только в сводке задания; передайте github-token (по умолчанию в action — github.token)",
	"the pull request comment was not written: %s; the verdict is unchanged and the job summary has the result":          "комментарий в pull request не написан: %s; вердикт не изменился, результат — в сводке задания",
	msgNoGitLabAPI:    "заметки в merge request нет: не задана CI_API_V4_URL, поэтому API GitLab неизвестен",
	msgCAFile:         "CI_SERVER_TLS_CA_FILE %s не прочитан: %v; сертификат GitLab проверяется только по системным корневым сертификатам",
	"no such file":    "нет такого файла",
	msgNoteNotWritten: "заметка в merge request не написана: %s; вердикт не изменился, результат — в журнале задания",
	msgNoGitLabToken: "заметки в merge request нет: не задан `gitlab-token` (GITLAB_TOKEN). " +
		"Создайте токен доступа проекта со scope `api` и ролью Reporter (Settings → Access tokens) " +
		"и сохраните его как маскированную переменную CI/CD GITLAB_TOKEN; пока результат — в журнале задания и файлах отчетов.",
}

// tr is the warning text s in the run's language: its Russian form when
// the table has one, else s.
func (r *runner) tr(s string) string {
	if r.lang == i18n.Russian {
		if ru, ok := warnRU[s]; ok {
			return ru
		}
	}
	return s
}
