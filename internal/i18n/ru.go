package i18n

// ru is the Russian catalog, in the words of CodeScoring's Russian interface
// (политика, блокер, алерт, отложенная блокировка, этап, игнор).
var ru = map[string]Message{
	"alerts": {One: "%d алерт", Few: "%d алерта", Many: "%d алертов", Other: "%d алерта"},
}
