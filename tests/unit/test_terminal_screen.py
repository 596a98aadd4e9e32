"""The transcript of a terminal session (runmagic/terminals/screen.py): pure, no engine."""

from runmagic.terminals.screen import Transcript, strip_sequences, transcript

BANNER = b"\r\n\r\nBusyBox v1.35.0\r\n\r\n"


def test_prompts_queries_and_line_editing_leave_plain_text():
    data = BANNER + b"/ # \x1b[6necho hi\r\nhi\r\n/ # \x1b[6nabc\x08\x08\x1b[Kxy\r\n\x1b[1;31mred\x1b[0m\r\n/ # "
    assert transcript(data) == "BusyBox v1.35.0\n\n/ # echo hi\nhi\n/ # axy\nred\n/ #"


def test_a_redrawn_prompt_overwrites_itself():
    assert transcript(b"/ # \x1b[6n\r/ # \x1b[Jls\r\nbin\r\n") == "/ # ls\nbin"


def test_clear_keeps_what_was_on_the_screen_above():
    text = transcript(b"/ # echo 42\r\n42\r\n/ # clear\r\n\x1b[H\x1b[J/ # stty size\r\n24 80\r\n/ # ")
    assert text == "/ # echo 42\n42\n/ # clear\n\n/ # stty size\n24 80\n/ #"


def test_a_full_screen_program_leaves_its_last_frame():
    frame = b"\x1b[?1049h\x1b[H\x1b[Jhello\r\n~\r\n~\x1b[24;1H- notes 1/1 100%"
    text = transcript(b"/ # vi notes\r\n" + frame + b"\x1b[?1049l/ # echo back\r\nback\r\n/ # ")
    assert text == "/ # vi notes\nhello\n~\n~\n\n- notes 1/1 100%\n/ # echo back\nback\n/ #"


def test_cursor_addressing_and_wrapping_on_a_small_screen():
    screen = Transcript(height=3, width=5)
    screen.feed(b"abcdefg\r\n")
    screen.feed(b"\x1b[1;1HX\x1b[3;2HY")
    assert screen.text() == "Xbcde\nfg\n Y"


def test_sequences_cut_between_chunks_and_utf8_across_them():
    screen = Transcript()
    for chunk in (b"caf\xc3", b"\xa9 \x1b[3", b"1mred\x1b[0", b"m\r\n"):
        screen.feed(chunk)
    assert screen.text() == "café red"


def test_live_line_output_keeps_colours_only():
    assert strip_sequences(b"/ # \x1b[6necho \x1b[1;31mred\x1b[0m\x1b[?1049h\x1b[H\x1b7!") == \
        b"/ # echo \x1b[1;31mred\x1b[0m!"
