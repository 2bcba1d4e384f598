package app

import (
	"fmt"

	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// badRU is each invalid-input message of parseConfig in Russian, keyed by
// its English format, with the same verbs in the same order (a test keeps
// every bad and badf call in it). Input names and values stay as they are typed.
var badRU = map[string]string{
	"`url` is required: the CodeScoring installation URL, e.g. https://codescoring.example.com (flag --url or env CODESCORING_URL)":            "`url` обязателен: адрес установки CodeScoring, например https://codescoring.example.com (флаг --url или переменная CODESCORING_URL)",
	"`token` is required: a CodeScoring API token from your user profile (flag --token or env CODESCORING_TOKEN; in a workflow pass a secret)": "`token` обязателен: API-токен CodeScoring из профиля пользователя (флаг --token или переменная CODESCORING_TOKEN; в workflow передайте секрет)",
	"`project` is required: the CodeScoring project id or exact name (flag --project or env CODESCORING_PROJECT)":                              "`project` обязателен: id или точное название проекта CodeScoring (флаг --project или переменная CODESCORING_PROJECT)",
	"`stage` %q is not a CodeScoring stage: use one of %s, or leave it empty":                                                                  "`stage` %q — не этап CodeScoring: укажите один из %s или оставьте пустым",
	"`mode` %q is not known: use one of %s":     "`mode` %q неизвестен: укажите один из %s",
	"`block-on` %q is not known: use one of %s": "`block-on` %q неизвестен: укажите один из %s",
	"`on-error` %q is not known: use one of %s": "`on-error` %q неизвестен: укажите один из %s",
	"`comment` %q is not known: use one of %s":  "`comment` %q неизвестен: укажите один из %s",
	"`comment-author` %q is not a GitHub login: use the bot login of a GitHub App token, e.g. my-app[bot], or leave it empty": "`comment-author` %q — не логин GitHub: укажите логин бота токена GitHub App, например my-app[bot], или оставьте пустым",
	"`command` %q is not known: use one of %s":                                                                   "`command` %q неизвестна: укажите одну из %s",
	"`start` %q is not a boolean: use true or false":                                                             "`start` %q — не логическое значение: укажите true или false",
	"`wait-timeout` %q is not a duration: use a Go duration such as 30m, 90s or 1h30m":                           "`wait-timeout` %q — не длительность: укажите длительность Go, например 30m, 90s или 1h30m",
	"`wait-timeout` %q must be positive, e.g. 30m":                                                               "`wait-timeout` %q должен быть больше нуля, например 30m",
	"`reuse-max-age` %q is not a duration: use a Go duration such as 1h or 30m, or 0 to never reuse an analysis": "`reuse-max-age` %q — не длительность: укажите длительность Go, например 1h или 30m, или 0, чтобы никогда не использовать анализ повторно",
	"`reuse-max-age` %q must not be negative: use 0 to never reuse an analysis":                                  "`reuse-max-age` %q не может быть отрицательным: укажите 0, чтобы никогда не использовать анализ повторно",

	"`%s` and `%s` are both %q: give each report file its own path":      "`%s` и `%s` оба равны %q: задайте каждому файлу отчета свой путь",
	"`ca-cert`: no file %q: give a PEM file path or the PEM text itself": "`ca-cert`: нет файла %q: укажите путь к PEM-файлу или сам текст PEM",
	"`ca-cert`: read %q: %w": "`ca-cert`: %q не прочитан: %w",
	"`ca-cert` holds no PEM certificate (-----BEGIN CERTIFICATE-----): give a PEM file path or the PEM text":                  "в `ca-cert` нет PEM-сертификата (-----BEGIN CERTIFICATE-----): укажите путь к PEM-файлу или текст PEM",
	"`project` lists %d projects: one run gates at most %d; split them over several steps":                                    "в `project` %d проектов: один запуск проверяет не больше %d; разделите их на несколько шагов",
	"`project`: entry %d of %d is empty: give one project id or exact name per line or between commas, with no empty entries": "`project`: элемент %d из %d пуст: укажите по одному id или точному названию проекта в строке или между запятыми, без пустых элементов",
	"`project` %q is not a valid project id: ids start at 1":                                                                  "`project` %q — не id проекта: id начинаются с 1",
	"`project` lists %q twice (entries %d and %d): give each project once":                                                    "в `project` %q указан дважды (элементы %d и %d): укажите каждый проект один раз",
}

// badf is an invalid-input error: format, in lang by badRU, with args.
func badf(lang i18n.Language, format string, args ...any) error {
	return fmt.Errorf(badFormat(lang, format), args...)
}

// badFormat is an invalid-input format in lang: its Russian form when the
// table has one, else format itself.
func badFormat(lang i18n.Language, format string) string {
	if lang == i18n.Russian {
		if ru, ok := badRU[format]; ok {
			return ru
		}
	}
	return format
}
