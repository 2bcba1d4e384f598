package app

import (
	"fmt"
	"io"
	"strings"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// usageRU is each input's --help text in Russian, in the words of
// CodeScoring's Russian interface; a test keeps it in step with inputs.
var usageRU = map[string]string{
	"url":                "адрес установки CodeScoring, например https://codescoring.example.com, или с префиксом пути обратного прокси, например https://tools.example.com/codescoring (никогда с /api; обязателен)",
	"token":              "API-токен CodeScoring из профиля пользователя (обязателен; маскируется во всем выводе)",
	"project":            "проект CodeScoring: его id (цифры) или точное название (обязателен)",
	"ref":                "ветка или тег для анализа (по умолчанию: ветка пулл-реквеста, иначе ветка или тег push)",
	"commit":             "коммит для анализа (по умолчанию: коммит пулл-реквеста, иначе коммит push)",
	"stage":              "этап политики: блокировать могут только политики с этим этапом; пусто: любая политика-блокер (" + strings.Join(stages, ", ") + ")",
	"baseline-ref":       "ветка, чей последний успешный анализ CodeScoring — база сравнения: алерты, чья находка там есть, — существующие, остальные — новые (по умолчанию: базовая ветка пулл-реквеста; в GitLab CI_MERGE_REQUEST_TARGET_BRANCH_NAME, в Jenkins CHANGE_TARGET; на push нет)",
	"block-on":           "all: блокирует каждый блокирующий алерт; new: только блокирующие алерты, чьей находки нет в базе сравнения (без базы блокирует каждый: fail-closed)",
	"mode":               "enforce: блокирующие алерты не пропускают сборку; warn: о них только сообщается",
	"start":              "true: запустить SCA-анализ (или присоединиться к идущему); false: не запускать, дождаться появления и завершения анализа коммита, запущенного самим CodeScoring; без коммита — взять последний анализ ветки",
	"reuse-max-age":      "вынести решение по успешному анализу того же коммита, завершенному не раньше этого срока, вместо запуска нового (перезапуск задания), длительность Go; 0 — никогда",
	"wait-timeout":       "сколько ждать анализ, длительность Go, например 30m или 1h30m",
	"on-error":           "fail: код 2, когда гейт не может решить; warn: сбой — предупреждение и код 0 (выход verdict все равно error), ошибка настройки (токен, роль, проект, url, неверный вход) все равно дает код 2",
	"comment":            "комментарий в пулл-реквесте: always, on-failure (только когда что-то блокирует; устаревший все равно обновляется) или never",
	"github-token":       "токен GitHub для комментария в пулл-реквесте (действие передает github.token)",
	"comment-author":     "логин, от которого пишется комментарий, чтобы найти его снова: пусто для github.token (github-actions[bot]) или личного токена (спрашивается у GitHub); токену GitHub App нужен логин его бота, например my-app[bot]",
	"gitlab-token":       "токен GitLab для заметки в merge request: токен проекта, группы или личный со scope api (по умолчанию GITLAB_TOKEN; CI_JOB_TOKEN не может писать заметки)",
	"report-json":        "путь для результата в виде версионированного документа JSON (schema_version 1); пусто: не пишется",
	"report-junit":       "путь для JUnit XML (сводка тестов GitLab, Jenkins junit, Azure Pipelines, TeamCity); пусто: не пишется",
	"report-codequality": "путь для отчета GitLab Code Quality (виджет merge request); пусто: не пишется",
	"ca-cert":            "дополнительные сертификаты CA для CodeScoring: путь к PEM-файлу или текст PEM",
	"api-paths": "только для установки с другим API: замены таблицы эндпоинтов парами name=path, по одной в строке или через запятую, " +
		"например alerts=/api/sca/alerts/ (имена: " + strings.Join(api.EndpointKeys(), ", ") + "; значение подскажет `doctor`; сохраняйте {id}, где он есть по умолчанию)",
	"language": "язык всего, что читает человек (комментарий, сводка задания, журнал, аннотации, ошибки): en или ru, словами русского интерфейса CodeScoring; выходы, имена входов и маркер комментария не меняются",
	"command":  "gate: запустить гейт; doctor: только проверить, что установка, токен и проект подходят гейту (на сервере ничего не меняется)",
}

// usageRussian is usage in Russian: the commands, every flag with its
// Russian text and default, the verdicts and exit codes. Flag names and
// values stay as they are typed.
func usageRussian(w io.Writer, version string) {
	fmt.Fprintf(w, `codescoring-gate %s: гейт сборки по политикам сервера CodeScoring.

Использование:
  codescoring-gate [gate] [флаги]          запустить гейт (команда по умолчанию)
  codescoring-gate doctor [--json] [флаги] проверить, что установка, токен и проект подходят
                                           гейту; ничего не меняет (код 0 — все хорошо, 1 — проверка не пройдена)
  codescoring-gate demo [--stage S] [--mode M] [--language ru]
                                           запустить гейт на встроенном симуляторе
  codescoring-gate simulator [--listen A]  поднять симулятор CodeScoring (по умолчанию 127.0.0.1:8080)
  codescoring-gate version                 напечатать версию (также --version или -v в любом месте)
  codescoring-gate help                    напечатать эту справку

Флаги можно писать до и после команды. mode, comment и on-error
принимают значения в любом регистре.

Гейт запускает SCA-анализ проекта (или присоединяется к идущему), дожидается
его, читает политики и алерты, решает и сообщает результат.

Флаги (каждый также читается из входа GitHub Action с тем же именем, затем
из переменной окружения CODESCORING_<ИМЯ>, например CODESCORING_WAIT_TIMEOUT):
`, version)
	for _, in := range inputs {
		def := ""
		if in.Default != "" {
			def = fmt.Sprintf(" (по умолчанию %q)", in.Default)
		}
		text, ok := usageRU[in.Name]
		if !ok {
			text = in.Usage
		}
		fmt.Fprintf(w, "  --%s\n        %s%s\n", in.Name, text, def)
	}
	fmt.Fprintf(w, `
Вердикты и коды выхода:
  pass   ничто не блокирует                             код 0
  warn   что-то блокирует, но mode warn                 код 0
  fail   что-то блокирует (mode enforce)                код 1
  error  гейт не смог решить (сервер, сеть, таймаут,
         неверный вход)                                 код 2 (0 с --on-error warn при
                                                        сбое; ошибка настройки и отмена
                                                        всегда дают 2)

В GitHub Actions гейт также пишет выходы шага (%s),
сводку задания, аннотации и, на пулл-реквестах, один комментарий. В пайплайне
merge request GitLab (CI_MERGE_REQUEST_IID) он ведет одну заметку в merge request,
через --gitlab-token или GITLAB_TOKEN. --report-json, --report-junit и
--report-codequality пишут файлы результата в любом CI, и при ошибке тоже.
`, outputNames())
}

// helpLanguage is the language --help speaks: --language when it was
// parsed before --help, else CODESCORING_LANGUAGE (or the action's input).
func helpLanguage(flagValue string, getenv func(string) string) string {
	if v := strings.TrimSpace(flagValue); v != "" {
		return strings.ToLower(v)
	}
	for _, k := range []string{"CODESCORING_LANGUAGE", "INPUT_LANGUAGE"} {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return strings.ToLower(v)
		}
	}
	return "en"
}

// usageIn writes --help in the language named lang (English when it is
// not Russian).
func usageIn(w io.Writer, version, lang string) {
	if lang == "ru" {
		usageRussian(w, version)
		return
	}
	usage(w, version)
}

// helpFlag is the value of --language among args ("" when absent), for the
// help command, whose flags are not parsed.
func helpFlag(args []string) string {
	for i, a := range args {
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "language" {
			continue
		}
		if hasValue {
			return value
		}
		if i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}
