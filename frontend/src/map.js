// The network map (issue 22 fills this in).
import Graph from "graphology";
import Sigma from "sigma";
window.helixgraph = Object.assign(window.helixgraph || {}, { Graph, Sigma });
