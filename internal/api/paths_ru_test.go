package api

import (
	"errors"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// Each problem of an `api-paths` value is said in the reader's language:
// English word for word as the gate always said it, Russian by the
// catalog; names, paths and the list of defaults stay as they are typed.
func TestParsePathsInEachLanguage(t *testing.T) {
	t.Parallel()
	known := keyList()
	tests := []struct{ in, en, ru string }{
		{"/api/x/",
			"`api-paths` \"/api/x/\" is not name=path, e.g. alerts=/api/sca/alerts/ (the names and their defaults: " + known + ")",
			"`api-paths` \"/api/x/\" — не имя=путь, например alerts=/api/sca/alerts/ (имена и пути по умолчанию: " + known + ")"},
		{"alert=/x/",
			"`api-paths` names no endpoint \"alert\" (the names and their defaults: " + known + ")",
			"`api-paths` называет неизвестный эндпоинт \"alert\" (имена и пути по умолчанию: " + known + ")"},
		{"alerts=/a/,alerts=/b/",
			"`api-paths` names alerts twice: give each endpoint one path (the names and their defaults: " + known + ")",
			"`api-paths` называет alerts дважды: задайте каждому эндпоинту один путь (имена и пути по умолчанию: " + known + ")"},
		{"alerts=api/x/",
			"`api-paths` alerts=api/x/: the path must start and end with a slash, as the default /api/sca/policy_alerts/ does (the names and their defaults: " + known + ")",
			"`api-paths` alerts=api/x/: путь должен начинаться и заканчиваться косой чертой, как путь по умолчанию /api/sca/policy_alerts/ (имена и пути по умолчанию: " + known + ")"},
		{"alerts=/api/../x/",
			"`api-paths` alerts=/api/../x/: the path must be a plain URL path below the installation root, without a query, spaces, // or dot segments (the names and their defaults: " + known + ")",
			"`api-paths` alerts=/api/../x/: путь должен быть простым путем URL внутри корня установки, без запроса, пробелов, // и сегментов с точками (имена и пути по умолчанию: " + known + ")"},
		{"project=/api/projects/{pk}/",
			"`api-paths` project=/api/projects/{pk}/: the only placeholder is {id}, where the object's id goes, as in the default /api/projects/{id}/ (the names and their defaults: " + known + ")",
			"`api-paths` project=/api/projects/{pk}/: единственный плейсхолдер — {id}, на место которого встает id объекта, как в пути по умолчанию /api/projects/{id}/ (имена и пути по умолчанию: " + known + ")"},
		{"alerts=/api/alerts/{id}/",
			"`api-paths` alerts=/api/alerts/{id}/: the path takes no placeholder, as the default /api/sca/policy_alerts/ takes none (the names and their defaults: " + known + ")",
			"`api-paths` alerts=/api/alerts/{id}/: путь не принимает плейсхолдеров, как и путь по умолчанию /api/sca/policy_alerts/ (имена и пути по умолчанию: " + known + ")"},
		{"analysis=/api/scans/",
			"`api-paths` analysis=/api/scans/: the path must keep one {id} placeholder, where the object's id goes, as the default /api/analyses/projects/history/{id}/ does (the names and their defaults: " + known + ")",
			"`api-paths` analysis=/api/scans/: путь должен сохранить один плейсхолдер {id}, на место которого встает id объекта, как путь по умолчанию /api/analyses/projects/history/{id}/ (имена и пути по умолчанию: " + known + ")"},
		{"alert=/x/\npolicies=/api/p",
			"`api-paths` names no endpoint \"alert\" (the names and their defaults: " + known + ")\n" +
				"`api-paths` policies=/api/p: the path must start and end with a slash, as the default /api/policies/ does (the names and their defaults: " + known + ")",
			"`api-paths` называет неизвестный эндпоинт \"alert\" (имена и пути по умолчанию: " + known + ")\n" +
				"`api-paths` policies=/api/p: путь должен начинаться и заканчиваться косой чертой, как путь по умолчанию /api/policies/ (имена и пути по умолчанию: " + known + ")"},
	}
	for _, tc := range tests {
		_, err := ParsePaths(tc.in)
		var pe PathsError
		if !errors.As(err, &pe) {
			t.Fatalf("ParsePaths(%q) = %v, want a PathsError", tc.in, err)
		}
		if got := err.Error(); got != tc.en {
			t.Errorf("ParsePaths(%q) in English\n got %q\nwant %q", tc.in, got, tc.en)
		}
		if got := pe.In(i18n.Russian); got != tc.ru {
			t.Errorf("ParsePaths(%q) in Russian\n got %q\nwant %q", tc.in, got, tc.ru)
		}
	}
	if err := CheckPaths(Paths{"alerts": "/api/alerts/{id}/"}); err == nil || err.Error() != tests[6].en {
		t.Errorf("CheckPaths = %v, want %q", err, tests[6].en)
	}
}
