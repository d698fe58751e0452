<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../gui/main_window.py" line="213"/>
        <source>%n e-mail account(s)</source>
        <translation>
            <numerusform>%n e-mail account</numerusform>
            <numerusform>%n e-mail accounts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../gui/main_window.py" line="215"/>
        <source>{shown} of %n e-mail account(s)</source>
        <translation>
            <numerusform>{shown} of %n e-mail account</numerusform>
            <numerusform>{shown} of %n e-mail accounts</numerusform>
        </translation>
    </message>
</context>
</TS>
