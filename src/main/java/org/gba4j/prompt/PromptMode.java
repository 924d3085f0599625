package org.gba4j.prompt;

/** The settings of the ablation (Table 12). */
public enum PromptMode {
    /** Prompt tuning, no template, no broadcast. */
    PT(false, false),
    /** Prompt tuning with a soft template. */
    PT_SOFT(true, false),
    /** Soft template and gradient broadcast: GBA. */
    GBA(true, true);

    private final boolean template;
    private final boolean broadcast;

    PromptMode(boolean template, boolean broadcast) {
        this.template = template;
        this.broadcast = broadcast;
    }

    public boolean usesTemplate() {
        return template;
    }

    public boolean usesBroadcast() {
        return broadcast;
    }
}
