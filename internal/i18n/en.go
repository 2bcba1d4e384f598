package i18n

// en is the English catalog, the gate's own words.
var en = map[string]Message{
	"alerts": {One: "%d alert", Other: "%d alerts"},
}
