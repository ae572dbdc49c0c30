import "./style.css";
import { searchPage } from "./pages/search";
import { servicesPage } from "./pages/services";
import { tracePage } from "./pages/trace";
import { Router, setRouter } from "./router";

const app = document.getElementById("app");
if (!app) throw new Error("no #app element");
const r = new Router(app)
  .add(/^\/(search)?\/?$/, searchPage)
  .add(/^\/trace\/[0-9a-fA-F]{1,32}\/?$/, tracePage)
  .add(/^\/services\/?$/, servicesPage);
setRouter(r);

const go = document.getElementById("goto") as HTMLFormElement | null;
go?.addEventListener("submit", (e) => {
  e.preventDefault();
  const input = go.elements.namedItem("id") as HTMLInputElement;
  const id = input.value.trim();
  if (/^[0-9a-fA-F]{1,32}$/.test(id)) r.navigate(`/trace/${id.toLowerCase()}`);
  input.value = "";
});
r.render();
