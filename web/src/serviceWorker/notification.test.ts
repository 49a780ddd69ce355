import { describe, expect, it } from "vitest";

import { clickTarget, notificationFromPush } from "./notification";

const ORIGIN = "https://nilecare.example";

describe("notificationFromPush", () => {
  it("shows the title and body the push channel sends, tagged with the delivery", () => {
    const text = JSON.stringify({
      title: "نتيجة مختبر حرجة",
      body: "البوتاسيوم 6.9 mmol/L",
      reference: "0b6f3c1e-delivery",
      url: "/patients/42",
    });
    expect(notificationFromPush(text)).toEqual({
      title: "نتيجة مختبر حرجة",
      options: {
        body: "البوتاسيوم 6.9 mmol/L",
        dir: "auto",
        tag: "0b6f3c1e-delivery",
        data: { url: "/patients/42" },
      },
    });
  });

  it("still shows something for a message without a title, data or JSON", () => {
    expect(notificationFromPush(JSON.stringify({ title: "t" })).options.data).toEqual({
      url: "/notifications",
    });
    expect(notificationFromPush(JSON.stringify({ body: "x" })).title).toBe("NileCare");
    expect(notificationFromPush(null)).toMatchObject({ title: "NileCare", options: { body: "" } });
    expect(notificationFromPush("plain text")).toMatchObject({
      title: "NileCare",
      options: { body: "plain text", tag: undefined },
    });
    expect(notificationFromPush(JSON.stringify({ title: 7 })).title).toBe("NileCare");
  });
});

describe("clickTarget", () => {
  it("opens the notification's page on the app's origin", () => {
    expect(clickTarget({ url: "/patients/42" }, ORIGIN)).toBe(`${ORIGIN}/patients/42`);
    expect(clickTarget(null, ORIGIN)).toBe(`${ORIGIN}/notifications`);
  });

  it("never opens another origin", () => {
    for (const url of ["https://evil.example/x", "//evil.example/x", "javascript:alert(1)"]) {
      expect(clickTarget({ url }, ORIGIN)).toBe(`${ORIGIN}/notifications`);
    }
  });
});
