// Cross-screen requests: another screen asks the (always mounted) chat to open a conversation.
export const navigation = $state<{ conversation: string | null }>({ conversation: null });
