package i18n

// doctorRU is doctorEN in Russian, with the words of CodeScoring's Russian
// interface.
var doctorRU = map[string]Message{
	"advice.net.dns":           {Other: "проверьте имя хоста в %s и что DNS этого раннера его знает (внутреннее имя может разрешаться только в сети компании или через VPN); затем %s"},
	"advice.net.proxy.dns":     {Other: "проверьте имя хоста прокси в `HTTPS_PROXY` / `HTTP_PROXY` или добавьте хост CodeScoring в `NO_PROXY`; затем %s"},
	"advice.net.proxy.connect": {Other: "проверьте адрес прокси в `HTTPS_PROXY` / `HTTP_PROXY` или добавьте хост CodeScoring в `NO_PROXY`; затем %s"},
	"advice.net.plain":         {Other: "на этом порту CodeScoring отвечает по обычному http: укажите http:// в %s или порт, на котором работает https"},
	"advice.tls.ca.given":      {Other: "в %s нет CA, выпустившего сертификат CodeScoring: задайте в нем PEM-сертификат этого CA (и промежуточных CA, если они есть)"},
}
