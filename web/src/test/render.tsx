/* Renders a component as the app would (language, query cache, session, live feed, router). */
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter } from "react-router-dom";

import { Providers } from "../App";
import type { Language } from "../i18n/languages";

export function renderInApp(ui: ReactElement, language: Language = "en", path = "/") {
  return render(
    <Providers language={language}>
      <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
    </Providers>,
  );
}
