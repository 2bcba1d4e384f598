package i18n

// commentRU is commentEN in Russian, with the words README.ru.md uses:
// комментарий в pull request, заметка в merge request, сводка задания.
var commentRU = map[string]Message{
	"pr.never":         {Other: "политика комментария never: комментарий в pull request оставлен как есть"},
	"pr.onfailure":     {Other: "политика комментария on-failure, и ничего не блокирует: комментарий не написан"},
	"pr.unchecked":     {Other: "не удалось прочитать pull request #%d, чтобы проверить, что не анализируется более новый коммит (GitHub ответил %d): дайте workflow `permissions: pull-requests: write`"},
	"pr.stale":         {Other: "комментарий в pull request оставлен как есть: этот запуск анализировал коммит %s, но голова pull request теперь %s, и ее анализирует более новый запуск; он и обновит комментарий"},
	"pr.denied":        {Other: "GitHub ответил %d: токен не может %s pull request %s/%s#%d%s. %s"},
	"pr.denied.read":   {Other: "читать комментарии"},
	"pr.denied.edit":   {Other: "править свой комментарий в"},
	"pr.denied.create": {Other: "комментировать"},
	"pr.denied.said":   {Other: " (%s)"},
	"pr.denied.fork": {Other: "Этот pull request из форка: GitHub дает токену его запусков только чтение, что бы ни запрашивал workflow, поэтому результат — в сводке задания. " +
		"Запуски `pull_request_target` могут комментировать, но им доступны секреты базового репозитория: используйте его только с осторожностью и никогда не собирайте и не запускайте в нем код форка."},
	"pr.denied.grant": {Other: "Дайте заданию `permissions: pull-requests: write` (этого хватает, чтобы читать pull request и писать его комментарии; `issues: write` не нужно). " +
		"В pull request из форков токен только читает, что бы ни запрашивал workflow, поэтому результат — в сводке задания; " +
		"`pull_request_target` может комментировать, но ему доступны секреты базового репозитория: используйте его только с осторожностью."},

	"mr.name":            {Other: "merge request !%d проекта %s"},
	"mr.never":           {Other: "политика комментария never: заметка в merge request оставлена как есть"},
	"mr.onfailure":       {Other: "политика комментария on-failure, и ничего не блокирует: заметка в merge request не написана"},
	"mr.jobtoken":        {Other: "заметки в %s нет: единственный токен GitLab — CI_JOB_TOKEN, который может читать заметки merge request, но не писать их. %s"},
	"mr.denied":          {Other: "GitLab ответил %d: %s %s %s. %s"},
	"mr.denied.may":      {Other: "токен не может"},
	"mr.denied.rejected": {Other: "GitLab отверг токен (неверный, истекший или отозванный), поэтому он не может"},
	"mr.denied.read":     {Other: "читать заметки"},
	"mr.denied.edit":     {Other: "править свою заметку в"},
	"mr.denied.create":   {Other: "писать заметки в"},
	"mr.whichtoken": {Other: "Создайте токен доступа проекта со scope `api` и ролью Reporter (Settings → Access tokens; подойдет и токен группы или личный) " +
		"и сохраните его как маскированную переменную CI/CD GITLAB_TOKEN; пока результат — в журнале задания и файлах отчетов."},
	"mr.unchecked": {Other: "не удалось прочитать %s, чтобы проверить, что более новый пайплайн не анализирует более новый коммит (GitLab ответил %d); заметка все равно написана"},
	"mr.stale":     {Other: "заметка в merge request оставлена как есть: этот пайплайн анализировал коммит %s, но голова merge request теперь %s, и ее анализирует более новый пайплайн; он и обновит заметку"},

	"paths.bad":     {Other: "`api-paths` %s (имена и пути по умолчанию: %s)"},
	"paths.notpair": {Other: "%q — не имя=путь, например alerts=/api/sca/alerts/"},
	"paths.unknown": {Other: "называет неизвестный эндпоинт %q"},
	"paths.twice":   {Other: "называет %s дважды: задайте каждому эндпоинту один путь"},
	"paths.path":    {Other: "%s=%s: %s"},
	"paths.slash":   {Other: "путь должен начинаться и заканчиваться косой чертой, как путь по умолчанию %s"},
	"paths.plain":   {Other: "путь должен быть простым путем URL внутри корня установки, без запроса, пробелов, // и сегментов с точками"},
	"paths.url":     {Other: "путь — не путь URL"},
	"paths.id.only": {Other: "единственный плейсхолдер — {id}, на место которого встает id объекта, как в пути по умолчанию %s"},
	"paths.id.none": {Other: "путь не принимает плейсхолдеров, как и путь по умолчанию %s"},
	"paths.id.keep": {Other: "путь должен сохранить один плейсхолдер {id}, на место которого встает id объекта, как путь по умолчанию %s"},
}
