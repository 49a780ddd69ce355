import { CacheProvider } from "@emotion/react";
import createCache from "@emotion/cache";
import { CssBaseline, ThemeProvider } from "@mui/material";
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { I18nextProvider } from "react-i18next";
import { prefixer } from "stylis";
import rtlPlugin from "stylis-plugin-rtl";

import { buildTheme } from "../theme";
import { createI18n } from "./index";
import { directionOf, initialLanguage, saveLanguage, type Language } from "./languages";

interface LanguageState {
  language: Language;
  setLanguage: (language: Language) => void;
}

const LanguageContext = createContext<LanguageState | null>(null);

// Emotion caches per direction: the RTL one flips margins, paddings and positions at build time.
const caches = {
  rtl: createCache({ key: "nc-rtl", stylisPlugins: [prefixer, rtlPlugin] }),
  ltr: createCache({ key: "nc-ltr", stylisPlugins: [prefixer] }),
};

export function LanguageProvider({
  children,
  language: initial,
}: {
  children: ReactNode;
  language?: Language;
}) {
  const [language, setLanguageState] = useState<Language>(initial ?? initialLanguage());
  // One i18next instance for the app's life; a language change switches it in place.
  const [i18n] = useState(() => createI18n(initial ?? initialLanguage()));
  const direction = directionOf(language);
  const theme = useMemo(() => buildTheme(direction), [direction]);

  useEffect(() => {
    void i18n.changeLanguage(language);
    document.documentElement.lang = language;
    document.documentElement.dir = direction;
  }, [i18n, language, direction]);

  const state = useMemo<LanguageState>(
    () => ({
      language,
      setLanguage: (next) => {
        saveLanguage(next);
        setLanguageState(next);
      },
    }),
    [language],
  );

  return (
    <LanguageContext.Provider value={state}>
      <I18nextProvider i18n={i18n}>
        <CacheProvider value={caches[direction]}>
          <ThemeProvider theme={theme}>
            <CssBaseline />
            {children}
          </ThemeProvider>
        </CacheProvider>
      </I18nextProvider>
    </LanguageContext.Provider>
  );
}

export function useLanguage(): LanguageState {
  const state = useContext(LanguageContext);
  if (state === null) throw new Error("useLanguage outside LanguageProvider");
  return state;
}
