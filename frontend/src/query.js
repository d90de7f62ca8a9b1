// The query page (issue 19 fills this in).
import Yasgui from "@zazuko/yasgui";
import "@zazuko/yasgui/build/yasgui.min.css";
window.helixgraph = Object.assign(window.helixgraph || {}, { Yasgui });
